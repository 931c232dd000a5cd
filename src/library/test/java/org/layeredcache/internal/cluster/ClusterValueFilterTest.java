package org.layeredcache.internal.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.layeredcache.CachedRead;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.NullValue;
import org.layeredcache.testing.Containers;
import org.layeredcache.testing.EmbeddedHazelcast;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;

/** Values read from the cluster go through a filter: JDK data classes and the application's own, nothing else. */
class ClusterValueFilterTest {

    public record Price(long id, List<String> tags, Map<String, LocalDate> dates) implements Serializable {
    }

    /**
     * Refused by the pattern in the tests' microprofile-config.properties ({@code layered-cache.serialization.filter}),
     * standing for a class of a library that gadget chains are built from.
     */
    public static class Refused implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean DESERIALISED = new AtomicBoolean();

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            DESERIALISED.set(true);
            in.defaultReadObject();
        }
    }

    @ApplicationScoped
    public static class Prices {
        @CachedRead(cache = "filtered-values", key = "price-{id}")
        public String price(long id) {
            return "price " + id;
        }
    }

    private static final ClassLoader SOME_OTHER_APPLICATION = new URLClassLoader(new URL[0], null);

    @Test
    void jdkDataClassesAndTheApplicationsOwnClassesAreRead() {
        ClusterCodec codec = new ClusterCodec(getClass().getClassLoader(),
                new ValueFilter(getClass().getClassLoader(), null));
        Map<String, LocalDate> dates = new HashMap<>(Map.of("since", LocalDate.of(2026, 1, 2)));
        Price price = new Price(7, new ArrayList<>(List.of("a", "b")), dates);

        assertThat(codec.read(ClusterCodec.value(price))).isEqualTo(price);
        assertThat(codec.read(ClusterCodec.value(NullValue.INSTANCE))).isSameAs(NullValue.INSTANCE);
    }

    @Test
    void classesOfAnotherClassLoaderAndProxiesAreRefused() {
        ClusterCodec codec = new ClusterCodec(getClass().getClassLoader(),
                new ValueFilter(SOME_OTHER_APPLICATION, null));
        Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Runnable.class, Serializable.class},
                new Handler());

        assertThat(codec.read(ClusterCodec.value(new ArrayList<>(List.of("jdk only"))))).isEqualTo(List.of("jdk only"));
        assertThatThrownBy(() -> codec.read(ClusterCodec.value(new Price(1, List.of(), Map.of()))))
                .isInstanceOf(ClusterCodec.UnreadableEntryException.class).hasMessageContaining("REJECTED");
        assertThatThrownBy(() -> codec.read(ClusterCodec.value(proxy)))
                .isInstanceOf(ClusterCodec.UnreadableEntryException.class);
    }

    @Test
    void aConfiguredPatternIsAskedFirst() {
        ClusterCodec codec = new ClusterCodec(getClass().getClassLoader(), new ValueFilter(SOME_OTHER_APPLICATION,
                ObjectInputFilter.Config.createFilter(Price.class.getName())));

        assertThat(codec.read(ClusterCodec.value(new Price(1, List.of(), Map.of())))).isNotNull();
    }

    @Test
    void aRefusedEntryIsNeverInstantiatedButDroppedAndCountedAndTheMethodsValueReturned() {
        try (WeldContainer node = Containers.start(Prices.class)) {
            Prices prices = bean(node, Prices.class);
            long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
            prices.price(id + 1);                                          // the cluster cache exists now
            javax.cache.Cache<Object, Object> cluster = EmbeddedHazelcast.sharedCacheManager()
                    .getCache("filtered-values");
            byte[] key = ClusterCodec.key(CacheKey.of("price-{}", id));
            cluster.put(key, ClusterCodec.value(new Refused()));

            assertThat(prices.price(id)).isEqualTo("price " + id);

            assertThat(Refused.DESERIALISED).as("its readObject never ran").isFalse();
            assertThat(cluster.containsKey(key)).as("the refused entry was dropped").isFalse();
            assertThat(statistics(node, "filtered-values").faults()).isEqualTo(1);
        }
    }

    /** Any handler: the proxy must be refused before it is ever called. */
    static final class Handler implements java.lang.reflect.InvocationHandler, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) {
            return null;
        }
    }
}
