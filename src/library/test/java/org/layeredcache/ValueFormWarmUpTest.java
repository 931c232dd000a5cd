package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.testing.InProcessNodes;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * A node that joins a cluster already holding entries warms its value form up with some of them as it starts: every
 * instance of its Apache Fory form then has the code for their classes before the first request reads one. A cache
 * with {@code cluster.value-form.warm-up=0} is left alone.
 */
class ValueFormWarmUpTest {

    /** Classes only this test caches, so that no other test has had them warmed. */
    public record Shelf(long id, List<Book> books) implements Serializable {
    }

    public record Book(String title, int pages) implements Serializable {
    }

    public record Leaflet(long id, String text) implements Serializable {
    }

    @ApplicationScoped
    public static class Library {
        private final AtomicInteger loads = new AtomicInteger();

        public int loads() {
            return loads.get();
        }

        @CachedRead(cache = "warmed", key = "shelf-{id}")
        public Shelf shelf(long id) {
            loads.incrementAndGet();
            return new Shelf(id, List.of(new Book("one", 100), new Book("two", 200)));
        }

        @CachedRead(cache = "not-warmed", key = "leaflet-{id}")
        public Leaflet leaflet(long id) {
            loads.incrementAndGet();
            return new Leaflet(id, "text " + id);
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Library.class);

    @Test
    void aJoiningNodeHasTheCodeForTheClustersValuesBeforeItReadsOne() {
        Library a = bean(NODES.a(), Library.class);
        for (long id = 1; id <= 3; id++) {
            a.shelf(id);
            a.leaflet(id);
        }
        CacheRegistry registryB = bean(NODES.b(), CacheRegistry.class);
        ClusterCodec codecB = registryB.codec();
        assertThat(codecB.instancesKnowing(Shelf.class)).isZero();

        Map<String, Integer> warmed = registryB.warmUpValueForms();

        assertThat(warmed).containsEntry("warmed", 3).doesNotContainKey("not-warmed");
        assertThat(codecB.instancesKnowing(Shelf.class)).isEqualTo(ClusterCodec.formInstances());
        assertThat(codecB.instancesKnowing(Book.class)).isEqualTo(ClusterCodec.formInstances());
        assertThat(codecB.instancesKnowing(Leaflet.class)).isZero();
        Library b = bean(NODES.b(), Library.class);
        assertThat(b.shelf(2)).isEqualTo(a.shelf(2));
        assertThat(b.loads()).as("node B read the shelf from the cluster").isZero();
        assertThat(statistics(NODES.b(), "warmed").clusterHits()).isEqualTo(1);
    }
}
