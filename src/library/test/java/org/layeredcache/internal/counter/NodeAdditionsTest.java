package org.layeredcache.internal.counter;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.Test;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.testing.EmbeddedHazelcast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many callers adding to one key of one node: every addition reaches the key's entry in the cluster once, and each
 * caller sleeps until the write that carries its addition ends, not also at the end of the write before it. Held
 * additions (a counter that does not wait for the cluster) stay on the node until sent, then one write per key.
 */
class NodeAdditionsTest {

    private static final int CALLERS = 32;
    private static final int EACH = 1000;

    @Test
    void callersOfOneKeyAreWokenOnlyByTheWriteThatCarriesTheirAddition() throws Exception {
        IMap<String, String> entries = EmbeddedHazelcast.shared().getMap("node-additions-" + UUID.randomUUID());
        NodeAdditions additions = additionsInto(entries);
        fromEveryCaller(n -> additions.add("views", "7", 1));

        assertThat(entries.size()).isEqualTo(1);
        var entry = entries.entrySet().iterator().next();
        assertThat(CounterEntry.parse(entry.getKey(), entry.getValue()).total()).isEqualTo((long) CALLERS * EACH);
        assertThat(additions.notInCluster("views", "7")).isZero();
        // Woken by the end of the write before their own, most callers would wake twice per addition.
        assertThat(additions.earlyWakeUps()).as("early wake-ups in %s additions", CALLERS * EACH)
                .isLessThan(CALLERS * EACH / 100);
    }

    @Test
    void heldAdditionsStayOnTheNodeUntilSentThenTakeOneWritePerKey() throws Exception {
        IMap<String, String> entries = EmbeddedHazelcast.shared().getMap("node-additions-" + UUID.randomUUID());
        NodeAdditions additions = additionsInto(entries);
        fromEveryCaller(n -> additions.hold("likes", String.valueOf(n % 3), 1));
        long held = 0;
        for (int key = 0; key < 3; key++) {
            held += additions.notInCluster("likes", String.valueOf(key));
        }
        assertThat(held).isEqualTo((long) CALLERS * EACH);
        assertThat(entries.size()).as("entries before the send").isZero();

        additions.sendHeld();
        assertThat(entries.size()).isEqualTo(3);
        long inCluster = 0;
        for (var entry : entries.entrySet()) {
            inCluster += CounterEntry.parse(entry.getKey(), entry.getValue()).total();
        }
        assertThat(inCluster).isEqualTo((long) CALLERS * EACH);
        for (int key = 0; key < 3; key++) {
            assertThat(additions.notInCluster("likes", String.valueOf(key))).isZero();
        }
        additions.hold("likes", "0", 5);
        additions.sendHeld();
        assertThat(entries.size()).as("the key's entry takes the next send").isEqualTo(3);
        // key 0 took n = 0, 3, ..., 999 of each caller
        assertThat(additions.own("likes", "0").total()).isEqualTo((long) CALLERS * ((EACH + 2) / 3) + 5);
    }

    /** This node's additions into {@code entries}, with a map of persisted totals of their own. */
    private static NodeAdditions additionsInto(IMap<String, String> entries) {
        IMap<String, String> persisted = EmbeddedHazelcast.shared().getMap("node-persisted-" + UUID.randomUUID());
        return new NodeAdditions(SharedMap.of(entries), SharedMap.of(persisted), "member", Duration.ofSeconds(30));
    }

    /** Runs {@code addition} {@value #EACH} times (with n from 0) on each of {@value #CALLERS} threads at once. */
    private static void fromEveryCaller(java.util.function.IntConsumer addition) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int i = 0; i < CALLERS; i++) {
                done.add(callers.submit(() -> {
                    start.await();
                    for (int n = 0; n < EACH; n++) {
                        addition.accept(n);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> caller : done) {
                caller.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
