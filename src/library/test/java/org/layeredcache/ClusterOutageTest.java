package org.layeredcache;

import com.hazelcast.core.HazelcastInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.observe.ObjectsReadiness;
import org.layeredcache.testing.Containers;
import org.layeredcache.testing.Counter;
import org.layeredcache.testing.EmbeddedHazelcast;
import org.layeredcache.testing.FreePorts;
import org.layeredcache.testing.StandaloneMember;

import javax.cache.Cache;
import javax.cache.CacheManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * The cluster hangs (one of its two members is frozen), then comes back. Every call returns the method's value
 * meanwhile, without waiting more than the cluster timeout; an invalidation made during the outage is carried out
 * when the cluster returns; caching through the cluster then works again by itself. The readiness check answers
 * meanwhile too.
 */
class ClusterOutageTest {

    /** A pretend database shared by both nodes of the test. */
    static final Map<Long, Long> ROWS = new ConcurrentHashMap<>();

    @ApplicationScoped
    public static class Rows {
        private final Counter loads = new Counter();

        public int loads() {
            return loads.count();
        }

        @CachedRead(cache = "outage", key = "row-{id}")
        public long read(long id) {
            loads.next();
            return ROWS.getOrDefault(id, 0L);
        }

        @Invalidates(cache = "outage", key = "row-{id}")
        public void write(long id) {
            ROWS.merge(id, 1L, Long::sum);
        }
    }

    /** A kind of shared object, so that the readiness check asks the cluster about it. */
    @ApplicationScoped
    public static class Notes {
        @StoresObjects("notes")
        public void store(Map<Long, String> notes) {
        }

        @LoadsObject("notes")
        public String load(long id) {
            return "";
        }
    }

    /** Both test nodes use the member in this JVM; the frozen one lives in a child JVM. */
    public static class LocalMemberCacheManager {
        static volatile CacheManager manager;

        @Produces
        @Singleton
        CacheManager cacheManager() {
            return manager;
        }
    }

    /** The cluster retry window of cache "outage" (test microprofile-config.properties). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * Reads new ids from {@code firstId} on until one of them reaches the cluster, which this node does only once
     * its circuit has closed again, after it carried out the invalidations it kept. Returns that id.
     */
    private static long awaitClusterUsedAgain(Rows node, long firstId) {
        Cache<Object, Object> cluster = LocalMemberCacheManager.manager.getCache("outage");
        AtomicLong probe = new AtomicLong(firstId - 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long id = probe.incrementAndGet();
            node.read(id);
            return cluster.containsKey(ClusterCodec.key(CacheKey.of("row-{}", id)));
        });
        return probe.get();
    }

    /** What a test does with node A, on a cluster of a member in this JVM and one it may freeze. */
    interface OnTwoMembers {
        void run(StandaloneMember frozen, WeldContainer nodeA) throws Exception;
    }

    /**
     * Starts a cluster of a member in a child JVM (which the test may freeze) and one in this JVM, with node A on the
     * latter, runs the test, and stops them again.
     */
    private static void onTwoMembers(String name, OnTwoMembers test) throws Exception {
        String cluster = System.getProperty("test.clusterName", "layered-cache-unit") + "-" + name + "-"
                + UUID.randomUUID();
        try (StandaloneMember frozen = StandaloneMember.start(cluster)) {
            HazelcastInstance local = EmbeddedHazelcast.start(cluster, FreePorts.next(), frozen.port());
            try {
                assertThat(local.getCluster().getMembers()).hasSize(2);
                LocalMemberCacheManager.manager = EmbeddedHazelcast.cacheManager(local);
                try (WeldContainer nodeA = Containers.weld(Rows.class, Notes.class, LocalMemberCacheManager.class)
                        .initialize()) {
                    ROWS.clear();
                    test.run(frozen, nodeA);
                }
            } finally {
                local.shutdown();
            }
        }
    }

    @Test
    void callsGoOnDuringTheOutageAndCachingComesBackAfterIt() throws Exception {
        onTwoMembers("outage", (frozen, nodeA) -> {
            Rows a = bean(nodeA, Rows.class);
            for (long id = 1; id <= 40; id++) {
                a.read(id);                                        // cached in near and cluster
            }

            frozen.freeze();
            long frozenAt = System.nanoTime();
            long slowest = 0;
            for (long id = 41; id <= 80; id++) {
                long started = System.nanoTime();
                assertThat(a.read(id)).isZero();                   // the method's value, each time
                slowest = Math.max(slowest, System.nanoTime() - started);
            }
            a.write(1);                                            // invalidated while the cluster hangs
            assertThat(a.read(1)).as("this node dropped its own copy at once").isEqualTo(1);
            long retryWindows = (System.nanoTime() - frozenAt) / RETRY_AFTER.toNanos();
            assertThat(Duration.ofNanos(slowest)).as("no call hung on the frozen member (timeout 500 ms)")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(statistics(nodeA, "outage").faults())
                    .as("the circuit kept the calls off: one fault opened it, then one probe per retry window")
                    .isBetween(1L, 2 + retryWindows);

            frozen.thaw();
            long probe = awaitClusterUsedAgain(a, 81);             // the probe replays the write first
            try (WeldContainer nodeB = Containers.weld(Rows.class, LocalMemberCacheManager.class)
                    .initialize()) {
                Rows b = bean(nodeB, Rows.class);
                assertThat(b.read(1)).as("the invalidation made during the outage reached the cluster")
                        .isEqualTo(1);
                assertThat(b.read(probe)).isZero();
                assertThat(b.loads()).as("the probe came from the cluster again; 1 had to be loaded")
                        .isEqualTo(1);
                assertThat(statistics(nodeB, "outage").clusterHits()).isEqualTo(1);
            }
        });
    }

    /**
     * More invalidations than the node keeps during an outage ({@code KeptInvalidations.MAX_KEPT}, 10,000): the
     * node then drops the whole cache from the cluster when it returns, so even an entry it was never told about
     * cannot come back stale.
     */
    @Test
    void tooManyInvalidationsDuringTheOutageDropTheWholeCacheWhenTheClusterReturns() throws Exception {
        onTwoMembers("overflow", (frozen, nodeA) -> {
            Rows a = bean(nodeA, Rows.class);
            long untouched = 1_000_000;
            a.read(untouched);                                     // in the cluster, never invalidated

            frozen.freeze();
            // Well over the 10,000 the node keeps one by one: the first few writes may still reach the
            // partitions this member owns before one times out and the circuit opens.
            for (long id = 1; id <= 10_500; id++) {
                a.write(id);
            }
            ROWS.put(untouched, 7L);                               // changed behind the caches' back
            frozen.thaw();

            awaitClusterUsedAgain(a, 2_000_000);                   // the probe replays: all
            try (WeldContainer nodeB = Containers.weld(Rows.class, LocalMemberCacheManager.class)
                    .initialize()) {
                Rows b = bean(nodeB, Rows.class);
                assertThat(b.read(untouched)).as("the whole cache was dropped from the cluster")
                        .isEqualTo(7);
                assertThat(b.read(10_500)).isEqualTo(1);
            }
        });
    }

    /**
     * The value form's warm-up as the application starts meets a hanging cluster: it gives up after about the
     * cluster timeout, counts no fault and leaves the circuit closed (the first read finds out for itself).
     */
    @Test
    void aWarmUpThatMeetsAHangingClusterGivesUpWithoutAFault() throws Exception {
        onTwoMembers("warm-up", (frozen, nodeA) -> {
            Rows a = bean(nodeA, Rows.class);
            a.read(1);                            // the cache is made, with one entry
            long faults = statistics(nodeA, "outage").faults();
            frozen.freeze();                      // its iteration looks for more in every partition
            long started = System.nanoTime();

            CacheRegistry registry = bean(nodeA, CacheRegistry.class);
            Map<String, Integer> warmed = registry.warmUpValueForms();

            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("about twice the cluster timeout of 500 ms").isLessThan(Duration.ofSeconds(5));
            assertThat(warmed).doesNotContainKey("outage");
            assertThat(statistics(nodeA, "outage").faults()).isEqualTo(faults);
            assertThat(registry.layersOf("outage").cluster().circuitOpen()).isFalse();
            frozen.thaw();
        });
    }

    /**
     * The readiness check asks the cluster about the shared objects; while the cluster hangs it answers within its
     * bound all the same (a load balancer's probe must not time out), saying what it does not know.
     */
    @Test
    void theReadinessCheckAnswersWithinItsBoundWhileTheClusterHangs() throws Exception {
        onTwoMembers("readiness", (frozen, nodeA) -> {
            ObjectsReadiness readiness = bean(nodeA, ObjectsReadiness.class);
            assertThat(readiness.detail("notes")).startsWith("0 changed objects not stored yet");
            frozen.freeze();
            for (int check = 1; check <= 2; check++) {   // the second while the first question is still unanswered
                long started = System.nanoTime();
                String detail = readiness.detail("notes");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("check %d", check)
                        .isLessThan(Duration.ofSeconds(3));
                assertThat(detail).isEqualTo("unknown: the cluster did not answer within 1000 ms");
            }
            frozen.thaw();
        });
    }
}
