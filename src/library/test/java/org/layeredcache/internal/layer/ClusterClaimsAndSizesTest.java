package org.layeredcache.internal.layer;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.CacheStatistics;
import org.layeredcache.CachedRead;
import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.cluster.Reservation;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.testing.EmbeddedHazelcast;
import org.layeredcache.testing.InProcessNodes;

import javax.cache.Cache;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;
import static org.layeredcache.testing.StatisticsAssert.assertThatChange;

/**
 * What the cluster layer holds, seen from the inside: a claim whose node died, and values too large for the
 * cluster or large enough to be deflated. Test configuration: cache "abandoned" waits 300ms for another load;
 * cache "sizes" takes at most 64KB per entry and deflates above 4KB; cache "java-form" writes Java serialization.
 */
class ClusterClaimsAndSizesTest {

    @ApplicationScoped
    public static class Blobs {
        private final AtomicInteger loads = new AtomicInteger();

        public int loads() {
            return loads.get();
        }

        @CachedRead(cache = "abandoned", key = "blob-{id}")
        public String find(long id) {
            return "blob " + id + " load " + loads.incrementAndGet();
        }

        /** {@code size} bytes; random ones do not compress, repeated ones do. */
        @CachedRead(cache = "sizes", key = "blob-{id}-{size}-{random}")
        public byte[] bytes(long id, int size, boolean random) {
            loads.incrementAndGet();
            byte[] bytes = new byte[size];
            if (random) {
                new Random(id).nextBytes(bytes);
            }
            return bytes;
        }

        @CachedRead(cache = "java-form", key = "blob-{id}")
        public String inJavaForm(long id) {
            return "blob " + id + " load " + loads.incrementAndGet();
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Blobs.class);

    private static long newId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    private static Cache<byte[], byte[]> cluster(String cache) {
        return EmbeddedHazelcast.sharedCacheManager().getCache(cache);
    }

    @Test
    void aClaimWhoseNodeDiedIsWaitedForOnceThenLoadedAroundUntilItsLeaseEnds() {
        Blobs a = bean(NODES.a(), Blobs.class);
        a.find(newId());                                         // the cluster cache exists now
        long id = newId();
        byte[] key = ClusterCodec.key(CacheKey.of("blob-{}", id));
        cluster("abandoned").put(key, ClusterCodec.claim(Reservation.create()));   // a load whose node died
        CacheStatistics before = statistics(NODES.a(), "abandoned");

        String first = a.find(id);
        String second = a.find(id);

        assertThat(first).isNotEqualTo(second).as("nothing published over another load's claim");
        assertThatChange(before, statistics(NODES.a(), "abandoned")).loads(2)
                .waitsGivenUp(1);                                  // the second call did not wait again
        assertThat(ClusterCodec.isClaim(cluster("abandoned").get(key))).as("the claim stays until its lease ends")
                .isTrue();
    }

    @Test
    void aValueOverTheSizeLimitIsReturnedAndKeptNearButNotInTheCluster() {
        Blobs a = bean(NODES.a(), Blobs.class);
        Blobs b = bean(NODES.b(), Blobs.class);
        long id = newId();
        CacheStatistics before = statistics(NODES.a(), "sizes");

        byte[] big = a.bytes(id, 100_000, true);

        assertThat(big).hasSize(100_000);
        assertThat(a.bytes(id, 100_000, true)).as("kept in node A's near layer").isSameAs(big);
        assertThatChange(before, statistics(NODES.a(), "sizes")).oversized(1).loads(1).nearHits(1).faults(0);
        assertThat(cluster("sizes").get(ClusterCodec.key(CacheKey.of("blob-{}-{}-{}", id, 100_000, true))))
                .as("not in the cluster, not even a claim").isNull();
        int loads = b.loads();
        assertThat(b.bytes(id, 100_000, true)).isEqualTo(big);
        assertThat(b.loads()).as("node B loads it itself").isEqualTo(loads + 1);
    }

    @Test
    void aLargeValueThatCompressesIsDeflatedInTheClusterAndReadBackOnAnotherNode() {
        Blobs a = bean(NODES.a(), Blobs.class);
        Blobs b = bean(NODES.b(), Blobs.class);
        long id = newId();

        byte[] large = a.bytes(id, 200_000, false);            // 200KB of zeros: over the limit until deflated
        CacheStatistics before = statistics(NODES.b(), "sizes");

        assertThat(b.bytes(id, 200_000, false)).isEqualTo(large);
        assertThatChange(before, statistics(NODES.b(), "sizes")).clusterHits(1).loads(0);
        byte[] entry = cluster("sizes").get(ClusterCodec.key(CacheKey.of("blob-{}-{}-{}", id, 200_000, false)));
        assertThat(ClusterCodec.isDeflated(entry)).isTrue();
        assertThat(entry.length).isLessThan(64 * 1024);

        byte[] small = a.bytes(id, 1_000, false);              // under compress-above: stored as it is
        assertThat(ClusterCodec.isDeflated(cluster("sizes")
                .get(ClusterCodec.key(CacheKey.of("blob-{}-{}-{}", id, 1_000, false))))).isFalse();
        assertThat(b.bytes(id, 1_000, false)).isEqualTo(small);
    }

    @Test
    void eachCacheWritesItsConfiguredFormAndAnotherNodeReadsIt() {
        Blobs a = bean(NODES.a(), Blobs.class);
        Blobs b = bean(NODES.b(), Blobs.class);
        long id = newId();

        String fory = a.find(id);
        String java = a.inJavaForm(id);

        assertThat(ClusterCodec.isFory(cluster("abandoned").get(ClusterCodec.key(CacheKey.of("blob-{}", id)))))
                .as("the default form").isTrue();
        assertThat(ClusterCodec.isFory(cluster("java-form").get(ClusterCodec.key(CacheKey.of("blob-{}", id)))))
                .as("cluster.value-form=java").isFalse();
        CacheStatistics before = statistics(NODES.b(), "java-form");
        assertThat(b.find(id)).isEqualTo(fory);
        assertThat(b.inJavaForm(id)).isEqualTo(java);
        assertThatChange(before, statistics(NODES.b(), "java-form")).clusterHits(1).loads(0).faults(0);
    }
}
