package org.layeredcache.internal.cluster;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.Test;
import org.layeredcache.testing.EmbeddedHazelcast;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the library chains to a Hazelcast answer runs where the answer arrives (Hazelcast's own threads, or the
 * caller when it came first), never on Hazelcast's default executor, which starts a thread per stage on a machine
 * of two cores.
 */
class AnswersTest {

    @Test
    void aStageChainedToAnAnswerRunsWhereTheAnswerArrives() throws Exception {
        IMap<String, String> map = EmbeddedHazelcast.shared().getMap("answers-test-" + UUID.randomUUID());
        Thread caller = Thread.currentThread();
        List<CompletableFuture<Thread>> ran = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            map.set("key-" + i, "value-" + i);
            ran.add(Answers.of(map.getAsync("key-" + i)).thenApply(value -> Thread.currentThread()));
        }
        for (CompletableFuture<Thread> stage : ran) {
            Thread where = stage.get(10, TimeUnit.SECONDS);
            assertThat(where == caller || where.getName().startsWith("hz."))
                    .as("ran on %s", where.getName()).isTrue();
        }
        assertThat(Answers.of(map.getAsync("key-7")).get(10, TimeUnit.SECONDS)).isEqualTo("value-7");
    }

    @Test
    void aFailedAnswerFailsItsFuture() {
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("refused"));
        assertThat(Answers.of(failed)).isCompletedExceptionally();
    }
}
