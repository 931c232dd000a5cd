package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.InProcessNodes;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * A key read often keeps its near copy past the near TTL (3 s here): a read in the copy's last fifth renews it from
 * the cluster in the background, so no read waits for the cluster because the copy ran out. With
 * {@code near.renew=false} the copy expires and the next read is a cluster hit.
 */
class NearRenewalTest {

    private static final Duration NEAR_TTL = Duration.ofSeconds(3);

    @ApplicationScoped
    public static class Items {
        private final AtomicInteger loads = new AtomicInteger();

        public int loads() {
            return loads.get();
        }

        @CachedRead(cache = "renewed", key = "item-{id}")
        public String renewed(long id) {
            loads.incrementAndGet();
            return "item " + id;
        }

        @CachedRead(cache = "renewed", key = "grouped-{id}", tags = "group-{id}")
        public String grouped(long id) {
            loads.incrementAndGet();
            return "item " + id;
        }

        @CachedRead(cache = "renewed", key = "item-{ids}", each = "ids")
        public java.util.Map<Long, String> many(java.util.List<Long> ids) {
            loads.incrementAndGet();
            java.util.Map<Long, String> found = new java.util.HashMap<>();
            ids.forEach(id -> found.put(id, "item " + id));
            return found;
        }

        @CachedRead(cache = "not-renewed", key = "item-{id}")
        public String notRenewed(long id) {
            loads.incrementAndGet();
            return "item " + id;
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(1, Items.class);

    /** Reads the key every 20 ms for {@code duration}; every answer must be the item. */
    private static void readOftenFor(Duration duration, java.util.function.LongFunction<String> read, long id)
            throws InterruptedException {
        readOftenFor(duration, () -> assertThat(read.apply(id)).isEqualTo("item " + id));
    }

    /** Runs {@code checkedRead} every 20 ms for {@code duration}. */
    private static void readOftenFor(Duration duration, Runnable checkedRead) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            checkedRead.run();
            Thread.sleep(20);
        }
    }

    @Test
    void aKeyReadOftenIsRenewedNearAndNeverAsksTheClusterOnTheCallersThread() throws InterruptedException {
        Items items = bean(NODES.a(), Items.class);
        long id = newId();
        CacheStatistics before = statistics(NODES.a(), "renewed");
        int loads = items.loads();

        readOftenFor(NEAR_TTL.multipliedBy(5).dividedBy(2), items::renewed, id);

        CacheStatistics after = statistics(NODES.a(), "renewed");
        assertThat(items.loads() - loads).as("loads").isEqualTo(1);
        assertThat(after.clusterHits() - before.clusterHits()).as("reads answered by the cluster").isZero();
        assertThat(after.nearRenewals() - before.nearRenewals()).as("renewals").isGreaterThanOrEqualTo(2);
        assertThat(after.faults() - before.faults()).as("faults").isZero();
    }

    @Test
    void aReadOfManyKeysRenewsTheNearCopiesItAnswersWith() throws InterruptedException {
        Items items = bean(NODES.a(), Items.class);
        java.util.List<Long> ids = java.util.List.of(newId(), newId(), newId());
        CacheStatistics before = statistics(NODES.a(), "renewed");
        int loads = items.loads();

        readOftenFor(NEAR_TTL.multipliedBy(5).dividedBy(2),
                () -> assertThat(items.many(ids)).hasSize(3).containsEntry(ids.get(0), "item " + ids.get(0)));

        CacheStatistics after = statistics(NODES.a(), "renewed");
        assertThat(items.loads() - loads).as("loads").isEqualTo(1);
        assertThat(after.clusterHits() - before.clusterHits()).as("keys answered by the cluster").isZero();
        assertThat(after.nearRenewals() - before.nearRenewals()).as("renewals").isGreaterThanOrEqualTo(6);
    }

    @Test
    void aTaggedCopyRenewedKeepsItsTagsVersionsKnownSoNoReadAsksForThem() throws InterruptedException {
        Items items = bean(NODES.a(), Items.class);
        long id = newId();
        org.layeredcache.internal.layer.TagVersions tags = bean(NODES.a(),
                org.layeredcache.internal.cache.CacheRegistry.class).layersOf("renewed").tags();
        assertThat(items.grouped(id)).isEqualTo("item " + id);            // the load asks its tag's version
        CacheStatistics before = statistics(NODES.a(), "renewed");
        long lateQuestions = tags.lateQuestions();

        readOftenFor(NEAR_TTL.multipliedBy(5).dividedBy(2), items::grouped, id);

        CacheStatistics after = statistics(NODES.a(), "renewed");
        assertThat(after.clusterHits() - before.clusterHits()).as("reads answered by the cluster").isZero();
        assertThat(after.loads() - before.loads()).as("loads").isZero();
        assertThat(after.nearRenewals() - before.nearRenewals()).as("renewals").isGreaterThanOrEqualTo(2);
        assertThat(tags.lateQuestions() - lateQuestions).as("versions a near hit had to ask for").isZero();
    }

    @Test
    void withoutRenewalACopyExpiresAndTheNextReadAsksTheCluster() throws InterruptedException {
        Items items = bean(NODES.a(), Items.class);
        long id = newId();
        CacheStatistics before = statistics(NODES.a(), "not-renewed");
        int loads = items.loads();

        readOftenFor(NEAR_TTL.plusMillis(500), items::notRenewed, id);

        CacheStatistics after = statistics(NODES.a(), "not-renewed");
        assertThat(items.loads() - loads).as("loads").isEqualTo(1);
        assertThat(after.clusterHits() - before.clusterHits()).as("reads answered by the cluster").isPositive();
        assertThat(after.nearRenewals() - before.nearRenewals()).as("renewals").isZero();
    }

    @Test
    void aRenewalOfTheSameWriteKeepsTheCopysObjectAndOfAnotherWriteBringsItsValue() throws Exception {
        Items items = bean(NODES.a(), Items.class);
        long id = newId();
        CacheStatistics before = statistics(NODES.a(), "renewed");
        java.util.Set<String> served = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        readOftenFor(NEAR_TTL.multipliedBy(5).dividedBy(2), () -> {
            String item = items.renewed(id);
            assertThat(item).isEqualTo("item " + id);
            served.add(item);
        });

        CacheStatistics after = statistics(NODES.a(), "renewed");
        assertThat(after.nearRenewals() - before.nearRenewals()).as("renewals").isGreaterThanOrEqualTo(2);
        // The load's own object, then the one the first renewal read from the cluster (the load's copy carries
        // the time of its publication, not of the cluster's write); every later renewal keeps that one.
        assertThat(served).as("objects served").hasSizeLessThanOrEqualTo(2);

        // Another write of the key behind this node's back, with no invalidation (as another node's refresh):
        // the next renewal brings its value.
        org.layeredcache.internal.key.CacheKey key = org.layeredcache.internal.key.CacheKey.of("item-{}", id);
        byte[] rewritten = bean(NODES.a(), org.layeredcache.internal.cache.CacheRegistry.class).layersOf("renewed")
                .cluster().encode(key, "item " + id + ", rewritten");
        org.layeredcache.testing.EmbeddedHazelcast.sharedCacheManager().getCache("renewed")
                .put(org.layeredcache.internal.cluster.ClusterCodec.key(key), rewritten);
        long deadline = System.nanoTime() + NEAR_TTL.multipliedBy(2).toNanos();
        String read = items.renewed(id);
        while (!read.endsWith("rewritten") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            read = items.renewed(id);
        }
        assertThat(read).isEqualTo("item " + id + ", rewritten");
    }
}
