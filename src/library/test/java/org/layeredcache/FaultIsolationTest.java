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
import org.layeredcache.internal.stats.CacheHealth;
import org.layeredcache.testing.Containers;
import org.layeredcache.testing.Counter;
import org.layeredcache.testing.EmbeddedHazelcast;

import javax.cache.CacheManager;
import java.io.Serializable;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Containers.inRequest;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;

/** A failing cache never changes a result: the method's value is returned, and the fault is counted. */
class FaultIsolationTest {

    /** Cannot travel to the cluster. */
    public record Handle(long id, Object resource) {
    }

    public static class Query implements Serializable {
        public long getId() {
            throw new IllegalStateException("the key's getter fails");
        }
    }

    /** Stands for a cached value whose class changed since it was stored: it no longer deserializes. */
    public static class Unreadable implements Serializable {
        @java.io.Serial
        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException {
            throw new java.io.InvalidObjectException("this class changed since the value was stored");
        }
    }

    @ApplicationScoped
    public static class Service {
        private final Counter loads = new Counter();

        public int loads() {
            return loads.count();
        }

        @CachedRead(cache = "faults", key = "value-{id}")
        public String find(long id) {
            return "value " + id + " load " + loads.next();
        }

        @Invalidates(cache = "faults", key = "value-{id}")
        public void change(long id) {
        }

        @CachedRead(cache = "faults", key = "handle-{id}")
        public Handle handle(long id) {
            loads.next();
            return new Handle(id, new Object());
        }

        @CachedRead(cache = "faults", key = "query-{query.id}")
        public String query(Query query) {
            return "answer " + loads.next();
        }
    }

    /** The cache manager of a member that this test alone uses, and shuts down. */
    public static class OwnMemberCacheManager {
        static volatile CacheManager manager;

        @Produces
        @Singleton
        CacheManager cacheManager() {
            return manager;
        }
    }


    @Test
    void whenTheClusterGoesDownEveryCallStillReturnsTheMethodsValue() throws Exception {
        HazelcastInstance member = EmbeddedHazelcast.start(
                System.getProperty("test.clusterName", "layered-cache-unit") + "-down-" + UUID.randomUUID());
        OwnMemberCacheManager.manager = EmbeddedHazelcast.cacheManager(member);
        try (WeldContainer node = Containers.weld(Service.class, OwnMemberCacheManager.class).initialize()) {
            Service service = bean(node, Service.class);
            long warm = newId();
            String cached = service.find(warm);

            member.shutdown();

            long cold = newId();
            String loaded = service.find(cold);
            assertThat(loaded).startsWith("value " + cold);
            assertThat(service.find(cold)).as("kept by the near layer meanwhile").isEqualTo(loaded);
            assertThat(service.find(warm)).as("still served by the near layer").isEqualTo(cached);
            service.change(warm);
            assertThat(inRequest(node, () -> service.find(warm))).as("the near layer was still invalidated")
                    .isNotEqualTo(cached);
            CacheStatistics statistics = statistics(node, "faults");
            assertThat(statistics.faults())
                    .as("only the first call met the dead cluster; the circuit kept the others off it"
                        + " (retry-after is 1m for this cache in the test configuration)")
                    .isEqualTo(1);
            CacheHealth health = bean(node, CacheRegistry.class).health().stream()
                    .filter(cache -> cache.cache().equals("faults")).findFirst().orElseThrow();
            assertThat(health.cluster()).as("what the readiness check shows: the circuit").isEqualTo("open");
            assertThat(health.lastFault()).as("and the last fault").contains("cluster");
        } finally {
            member.shutdown();
        }
    }

    @Test
    void aValueThatCannotBeSerializedIsReturnedAndKeptOnThisNodeOnly() {
        try (WeldContainer nodeA = Containers.start(Service.class);
             WeldContainer nodeB = Containers.start(Service.class)) {
            Service a = bean(nodeA, Service.class);
            Service b = bean(nodeB, Service.class);
            long id = newId();

            Handle handle = a.handle(id);
            assertThat(handle.id()).isEqualTo(id);
            assertThat(a.handle(id)).as("the near layer keeps it").isSameAs(handle);
            assertThat(b.handle(id)).as("the cluster never got it").isNotSameAs(handle);

            assertThat(a.loads() + b.loads()).isEqualTo(2);
            assertThat(statistics(nodeA, "faults").faults()).isEqualTo(1);
        }
    }

    @Test
    void anEntryThatNoLongerDeserializesIsDroppedAndTheMethodsValueReturned() {
        try (WeldContainer node = Containers.start(Service.class)) {
            Service service = bean(node, Service.class);
            long id = newId();
            service.find(newId());                                         // the cluster cache exists now
            javax.cache.Cache<Object, Object> cluster = EmbeddedHazelcast.sharedCacheManager().getCache("faults");
            byte[] key = ClusterCodec.key(CacheKey.of("value-{}", id));
            cluster.put(key, ClusterCodec.value(new Unreadable()));

            assertThat(service.find(id)).startsWith("value " + id);

            assertThat(cluster.containsKey(key)).as("the unreadable entry was dropped").isFalse();
            assertThat(statistics(node, "faults").faults()).isEqualTo(1);
        }
    }

    @Test
    void aKeyThatCannotBeComputedRunsTheMethodUncached() {
        try (WeldContainer node = Containers.start(Service.class)) {
            Service service = bean(node, Service.class);

            assertThat(service.query(new Query())).isEqualTo("answer 1");
            assertThat(service.query(new Query())).isEqualTo("answer 2");

            assertThat(statistics(node, "faults").faults()).isEqualTo(2);
            assertThat(statistics(node, "faults").loads()).as("each call still counted once").isEqualTo(2);
        }
    }
}
