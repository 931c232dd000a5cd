package org.layeredcache.internal.cache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.CachedRead;
import org.layeredcache.testing.InProcessNodes;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Nodes.bean;

/**
 * What a read costs in cluster round trips, counted where the library awaits the cluster: a miss two (the get
 * with its claim, then the publication) while the cache has been missing, a cluster hit one.
 */
class ClusterRoundTripsTest {

    private static final String CACHE = "round-trips";

    @ApplicationScoped
    public static class Items {
        private final AtomicInteger loads = new AtomicInteger();

        public int loads() {
            return loads.get();
        }

        @CachedRead(cache = CACHE, key = "item-{id}")
        public String item(long id) {
            loads.incrementAndGet();
            return "item " + id;
        }

        @CachedRead(cache = CACHE, key = "grouped-{id}", tags = "group-{id}")
        public String grouped(long id) {
            loads.incrementAndGet();
            return "grouped " + id;
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Items.class);

    private static long roundTrips(org.jboss.weld.environment.se.WeldContainer node) {
        return bean(node, CacheRegistry.class).layersOf(CACHE).cluster().roundTrips();
    }

    @Test
    void aMissCostsTwoRoundTripsAndAClusterHitOne() {
        Items a = bean(NODES.a(), Items.class);
        Items b = bean(NODES.b(), Items.class);
        long first = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        a.item(first - 1);                                    // the cluster cache exists on both nodes now
        b.item(first - 1);

        for (long id = first; id < first + 20; id++) {
            long before = roundTrips(NODES.a());
            int loads = a.loads();
            a.item(id);
            assertThat(a.loads()).as("a miss").isEqualTo(loads + 1);
            assertThat(roundTrips(NODES.a()) - before).as("round trips of the miss of item %d", id).isEqualTo(2);
        }
        for (long id = first; id < first + 20; id++) {
            long before = roundTrips(NODES.b());
            int loads = b.loads();
            b.item(id);
            assertThat(b.loads()).as("a cluster hit").isEqualTo(loads);
            assertThat(roundTrips(NODES.b()) - before).as("round trips of the hit of item %d", id).isEqualTo(1);
        }
    }

    @Test
    void aClusterHitOfATaggedEntryAsksItsTagsVersionsWithItsGet() {
        Items a = bean(NODES.a(), Items.class);
        Items b = bean(NODES.b(), Items.class);
        long first = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        for (long id = first + 100; id < first + 200; id++) {
            a.item(id);
            b.item(id);                                       // b's reads of the cluster hit: it gets, then claims
        }
        for (long id = first; id < first + 20; id++) {
            a.grouped(id);                                    // its tag is new to node b
        }
        org.layeredcache.internal.layer.TagVersions tags = bean(NODES.b(), CacheRegistry.class).layersOf(CACHE)
                .tags();
        for (long id = first; id < first + 20; id++) {
            long questions = tags.questions();
            long late = tags.lateQuestions();
            long before = roundTrips(NODES.b());
            int loads = b.loads();
            b.grouped(id);
            assertThat(b.loads()).as("a cluster hit").isEqualTo(loads);
            assertThat(roundTrips(NODES.b()) - before).as("round trips of the hit of item %d", id).isEqualTo(1);
            assertThat(tags.questions() - questions).as("the version of its tag asked").isEqualTo(1);
            assertThat(tags.lateQuestions() - late).as("asked after the get answered").isZero();
        }
    }
}
