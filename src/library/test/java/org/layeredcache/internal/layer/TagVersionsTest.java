package org.layeredcache.internal.layer;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.Test;
import org.layeredcache.internal.stats.CacheCounters;
import org.layeredcache.internal.stats.CacheObserver;
import org.layeredcache.testing.EmbeddedHazelcast;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes' views of the tags' versions, sharing one cluster map, with no message between them: what a node
 * knows without the message, and what the cluster tells a load before it publishes.
 */
class TagVersionsTest {

    private static final Duration SEEN_FOR = Duration.ofMillis(500);
    private final CacheCounters counters = new CacheCounters("tag-versions-test", () -> CacheObserver.NONE);
    private final String tag = "service-" + UUID.randomUUID();

    private TagVersions node() {
        IMap<String, Long> map = EmbeddedHazelcast.shared().getMap(TagVersions.mapName());
        return TagVersions.shared(() -> map, SEEN_FOR, Duration.ofSeconds(5));
    }

    @Test
    void aLoadAsksTheClusterWhetherATagChangedBeforeThisNodeHeardOfIt() {
        TagVersions a = node();
        TagVersions b = node();
        String[] tags = {tag};
        Object loadedOnB = TagVersions.tag("old", tags, b.versions(tags, counters));
        assertThat(b.current(loadedOnB, counters)).isTrue();

        Map<String, Long> invalidated = a.invalidate(List.of(tag), counters);    // its message is not delivered

        assertThat(a.current(loadedOnB, counters)).as("the writing node knows at once").isFalse();
        assertThat(b.currentInCluster(loadedOnB, counters)).as("the cluster knows at once").isFalse();
        assertThat(b.staleInCluster(Map.of("key", loadedOnB), counters)).containsExactly("key");
        assertThat(b.current(loadedOnB, counters)).as("B's own view, until the message or the TTL").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.current(loadedOnB, counters));

        TagVersions c = node();
        Object loadedOnC = TagVersions.tag("old", tags, c.versions(tags, counters));
        c.received(Map.of(tag, invalidated.get(tag) + 1));                      // a later invalidation's message
        assertThat(c.current(loadedOnC, counters)).as("the message alone is enough").isFalse();
        assertThat(c.current("untagged", counters)).isTrue();
    }

    /** The cluster's map, whose answers are held back until {@link #answer} (the cluster is real, only slow). */
    private static final class HeldAnswers implements TagVersions.Shared {
        private final TagVersions.Shared cluster;
        private final CompletableFuture<Void> held = new CompletableFuture<>();

        HeldAnswers(TagVersions.Shared cluster) {
            this.cluster = cluster;
        }

        void answer() {
            held.complete(null);
        }

        @Override
        public CompletableFuture<Long> getLater(String tag) {
            return cluster.getLater(tag).thenCombine(held, (version, released) -> version);
        }

        @Override
        public long timeoutMillis() {
            return cluster.timeoutMillis();
        }

        @Override
        public void setAll(Map<String, Long> versions) throws Exception {
            cluster.setAll(versions);
        }

        @Override
        public CompletableFuture<Map<String, Long>> getAllLater(Set<String> tags) {
            return cluster.getAllLater(tags).thenCombine(held, (versions, released) -> versions);
        }
    }

    @Test
    void theReadsOfATagThisNodeForgotSendOneQuestionAndShareItsAnswer() throws Exception {
        IMap<String, Long> map = EmbeddedHazelcast.shared().getMap(TagVersions.mapName());
        TagVersions writer = node();
        long version = writer.invalidate(List.of(tag), counters).get(tag);
        HeldAnswers cluster = new HeldAnswers(new ClusterTagVersions(() -> map, Duration.ofSeconds(5)));
        TagVersions reader = TagVersions.shared(cluster, SEEN_FOR);
        Object entry = TagVersions.tag("value", new String[] {tag}, new long[] {version});
        int readers = 16;
        ExecutorService threads = Executors.newFixedThreadPool(readers);
        try {
            List<Future<Boolean>> hits = new java.util.ArrayList<>();
            java.util.Set<Thread> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (int i = 0; i < readers; i++) {
                hits.add(threads.submit(() -> {
                    waiting.add(Thread.currentThread());
                    return reader.current(entry, counters);
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == readers && waiting.stream()
                    .allMatch(thread -> thread.getState() == Thread.State.TIMED_WAITING));
            Object loadsVersion = reader.versionLater(tag);                 // a load of the tag, meanwhile

            assertThat(reader.questions()).as("one question on its way for every reader").isEqualTo(1);
            cluster.answer();
            for (Future<Boolean> hit : hits) {
                assertThat(hit.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
            assertThat(reader.settle(tag, loadsVersion, counters)).isEqualTo(version);
            assertThat(reader.questions()).isEqualTo(1);
            Object sameEntryReadAgain = TagVersions.tag("value", new String[] {tag}, new long[] {version});
            assertThat(reader.current(sameEntryReadAgain, counters)).as("the answer remembered").isTrue();
            assertThat(reader.questions()).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }
}
