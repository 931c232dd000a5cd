package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.Counter;
import org.layeredcache.testing.InProcessNodes;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.layeredcache.testing.Containers.inRequest;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.eventually;
import static org.layeredcache.testing.Nodes.statistics;
import static org.layeredcache.testing.StatisticsAssert.assertThatChange;

/** The read path on two nodes (two containers sharing one Hazelcast member): which layer answers, and when. */
class ReadPathTest {

    @ApplicationScoped
    public static class Catalog {
        private final Counter loads = new Counter();

        public int loads() {
            return loads.count();
        }

        @CachedRead(cache = "read-path", key = "item-{id}")
        public String find(long id) {
            return "item-" + id + " load " + loads.next();
        }

        @CachedRead(cache = "read-path-short", key = "item-{id}", ttl = "1s")
        public String findShortLived(long id) {
            return "short-" + id + " load " + loads.next();
        }

        @Invalidates(cache = "read-path", key = "item-{itemId}")
        public void change(long itemId) {
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Catalog.class);


    @Test
    void eachLayerAnswersInTurnAndFillsTheLayersAboveIt() throws Exception {
        long id = newId();
        Catalog a = bean(NODES.a(), Catalog.class);
        Catalog b = bean(NODES.b(), Catalog.class);
        CacheStatistics beforeA = statistics(NODES.a(), "read-path");
        CacheStatistics beforeB = statistics(NODES.b(), "read-path");
        int loadsBefore = a.loads() + b.loads();

        String loaded = inRequest(NODES.a(), () -> {
            String first = a.find(id);                          // every layer misses: the method runs
            assertThat(a.find(id)).isEqualTo(first);            // the request layer answers
            return first;
        });
        assertThat(inRequest(NODES.a(), () -> a.find(id))).isEqualTo(loaded);   // a new request: the near layer
        assertThat(inRequest(NODES.b(), () -> b.find(id))).isEqualTo(loaded);   // another node: the cluster layer
        assertThat(inRequest(NODES.b(), () -> b.find(id))).isEqualTo(loaded);   // ...which filled B's near layer

        assertThat(a.loads() + b.loads() - loadsBefore).isEqualTo(1);
        assertThatChange(beforeA, statistics(NODES.a(), "read-path")).requestHits(1).nearHits(1).clusterHits(0).loads(1)
                .faults(0);
        assertThatChange(beforeB, statistics(NODES.b(), "read-path")).requestHits(0).nearHits(1).clusterHits(1).loads(0)
                .faults(0);
    }

    @Test
    void outsideARequestTheRequestLayerIsSkipped() {
        long id = newId();
        Catalog a = bean(NODES.a(), Catalog.class);
        CacheStatistics before = statistics(NODES.a(), "read-path");

        String first = a.find(id);
        assertThat(a.find(id)).isEqualTo(first);

        assertThatChange(before, statistics(NODES.a(), "read-path")).requestHits(0).nearHits(1).clusterHits(0).loads(1);
    }

    @Test
    void anInvalidationOnOneNodeReachesTheOtherNodesNearLayer() throws Exception {
        long id = newId();
        Catalog a = bean(NODES.a(), Catalog.class);
        Catalog b = bean(NODES.b(), Catalog.class);
        String old = a.find(id);
        assertThat(b.find(id)).isEqualTo(old);          // now in B's near layer
        assertThat(b.find(id)).isEqualTo(old);

        a.change(id);

        assertThat(a.find(id)).isNotEqualTo(old);        // A's own layers were dropped at once
        assertThat(eventually(Duration.ofSeconds(5), () -> !b.find(id).equals(old)))
                .as("B stops serving the old value once the invalidation message arrives").isTrue();
    }

    @Test
    void entriesExpireFromEveryLayerAfterTheirTtl() throws Exception {
        long id = newId();
        Catalog a = bean(NODES.a(), Catalog.class);
        Catalog b = bean(NODES.b(), Catalog.class);
        long loading = System.nanoTime();                 // the entry is made after this
        String first = a.findShortLived(id);
        assertThat(a.findShortLived(id)).isEqualTo(first);
        assertThat(b.findShortLived(id)).isEqualTo(first);

        await().atMost(Duration.ofSeconds(30)).until(() -> !a.findShortLived(id).equals(first));
        assertThat(Duration.ofNanos(System.nanoTime() - loading)).as("not before its TTL of 1 s")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
}
