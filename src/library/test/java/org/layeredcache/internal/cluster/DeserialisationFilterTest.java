package org.layeredcache.internal.cluster;

import com.hazelcast.topic.ITopic;
import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.layeredcache.CacheStatistics;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;
import org.layeredcache.internal.config.ValueForm;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.NullValue;
import org.layeredcache.testing.EmbeddedHazelcast;
import org.layeredcache.testing.InProcessNodes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * Nothing read from the cluster is deserialised without a filter: neither the values of the cluster layer (JDK data
 * classes and the application's own, nothing else) nor the keys of invalidation messages (the types the keys
 * declare). One gadget stands for what an attacker would put in either; it is never instantiated, the fault is
 * counted, and the node goes on working.
 */
class DeserialisationFilterTest {

    private static final String VALUES = "filtered-values";
    private static final String MESSAGES = "filtered";
    private static final ClassLoader SOME_OTHER_APPLICATION = new URLClassLoader(new URL[0], null);

    /**
     * Stands for a gadget: a serializable class of the application that no key declares. For values it is refused
     * by the pattern in the tests' microprofile-config.properties ({@code layered-cache.serialization.filter}), as
     * a class of a library that gadget chains are built from would be.
     */
    public static class Gadget implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean DESERIALISED = new AtomicBoolean();

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            DESERIALISED.set(true);
            in.defaultReadObject();
        }
    }

    public record Price(long id, List<String> tags, Map<String, LocalDate> dates) implements Serializable {
    }

    @ApplicationScoped
    public static class Prices {
        private final AtomicInteger loads = new AtomicInteger();

        @CachedRead(cache = MESSAGES, key = "price-{id}")
        public String price(long id) {
            return "price " + id + " load " + loads.incrementAndGet();
        }

        @Invalidates(cache = MESSAGES, key = "price-{id}")
        public void change(long id) {
        }

        @CachedRead(cache = VALUES, key = "price-{id}")
        public String value(long id) {
            return "price " + id;
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Prices.class);

    // Values of the cluster layer

    @ParameterizedTest
    @EnumSource(ValueForm.class)
    void jdkDataClassesAndTheApplicationsOwnClassesAreRead(ValueForm form) {
        ClusterCodec codec = new ClusterCodec(getClass().getClassLoader(),
                new ValueFilter(getClass().getClassLoader(), null));
        Map<String, LocalDate> dates = new HashMap<>(Map.of("since", LocalDate.of(2026, 1, 2)));
        Price price = new Price(7, new ArrayList<>(List.of("a", "b")), dates);

        assertThat(codec.read(codec.entry(price, form, Integer.MAX_VALUE, 0))).isEqualTo(price);
        assertThat(codec.read(codec.entry(NullValue.INSTANCE, form, Integer.MAX_VALUE, 0))).isSameAs(NullValue.INSTANCE);
    }

    @ParameterizedTest
    @EnumSource(ValueForm.class)
    void classesOfAnotherClassLoaderAndProxiesAreRefused(ValueForm form) {
        ClusterCodec writer = new ClusterCodec(getClass().getClassLoader(),
                new ValueFilter(getClass().getClassLoader(), null));
        ClusterCodec codec = new ClusterCodec(getClass().getClassLoader(),
                new ValueFilter(SOME_OTHER_APPLICATION, null));
        byte[] price = writer.entry(new Price(1, List.of(), Map.of()), form, Integer.MAX_VALUE, 0);
        Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Runnable.class, Serializable.class}, new Handler());

        assertThat(codec.read(writer.entry(new ArrayList<>(List.of("jdk only")), form, Integer.MAX_VALUE, 0)))
                .isEqualTo(List.of("jdk only"));
        assertThatThrownBy(() -> codec.read(price)).isInstanceOf(ClusterCodec.UnreadableEntryException.class);
        assertThatThrownBy(() -> codec.read(ClusterCodec.value(proxy)))
                .isInstanceOf(ClusterCodec.UnreadableEntryException.class);
        if (form == ValueForm.FORY) {                        // Java serialization writes one, and reads it refused
            assertThatThrownBy(() -> writer.entry(proxy, form, Integer.MAX_VALUE, 0)).as("Fory does not write a proxy")
                    .isInstanceOf(UncheckedIOException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(ValueForm.class)
    void aConfiguredPatternIsAskedFirst(ValueForm form) {
        ClusterCodec codec = new ClusterCodec(getClass().getClassLoader(), new ValueFilter(SOME_OTHER_APPLICATION,
                ObjectInputFilter.Config.createFilter(Price.class.getName())));

        assertThat(codec.read(codec.entry(new Price(1, List.of(), Map.of()), form, Integer.MAX_VALUE, 0))).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(ValueForm.class)
    void aRefusedEntryIsNeverInstantiatedButDroppedAndCountedAndTheMethodsValueReturned(ValueForm form) {
        Prices prices = bean(NODES.a(), Prices.class);
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE - 1);
        prices.value(id + 1);                                              // the cluster cache exists now
        javax.cache.Cache<Object, Object> cluster = EmbeddedHazelcast.sharedCacheManager().getCache(VALUES);
        byte[] key = ClusterCodec.key(CacheKey.of("price-{}", id));
        ClusterCodec writer = new ClusterCodec(getClass().getClassLoader(),     // a node that admits the gadget
                new ValueFilter(getClass().getClassLoader(), null));
        cluster.put(key, writer.entry(new Gadget(), form, Integer.MAX_VALUE, 0));
        long faultsBefore = statistics(NODES.a(), VALUES).faults();

        assertThat(prices.value(id)).isEqualTo("price " + id);

        assertThat(Gadget.DESERIALISED).as("its readObject never ran").isFalse();
        assertThat(cluster.containsKey(key)).as("the refused entry was dropped").isFalse();
        assertThat(statistics(NODES.a(), VALUES).faults()).isEqualTo(faultsBefore + 1);
    }

    /**
     * What a node meets during a rolling upgrade when a newer version writes a form this one does not know (as a
     * node of the version before Apache Fory's form meets Fory's entries): the entry is dropped and counted, and
     * the method's value is loaded and returned.
     */
    @Test
    void anEntryInAFormThisNodeDoesNotKnowIsDroppedCountedAndLoadedAgain() {
        Prices prices = bean(NODES.a(), Prices.class);
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE - 1);
        prices.value(id + 1);                                              // the cluster cache exists now
        javax.cache.Cache<Object, Object> cluster = EmbeddedHazelcast.sharedCacheManager().getCache(VALUES);
        byte[] key = ClusterCodec.key(CacheKey.of("price-{}", id));
        byte[] later = ClusterCodec.value("price " + id + " in a later form");
        later[0] = 99;                                                     // a tag no version of today knows
        cluster.put(key, later);
        long faultsBefore = statistics(NODES.a(), VALUES).faults();
        long loadsBefore = statistics(NODES.a(), VALUES).loads();

        assertThat(prices.value(id)).isEqualTo("price " + id);

        assertThat(statistics(NODES.a(), VALUES).faults()).isEqualTo(faultsBefore + 1);
        assertThat(statistics(NODES.a(), VALUES).loads()).isEqualTo(loadsBefore + 1);
        assertThat((byte[]) cluster.get(key)).as("the unknown entry is gone, the loaded value published")
                .isNotEqualTo(later);
    }

    // Keys of invalidation messages

    @Test
    void aKeyCarryingAClassNoKeyDeclaresIsRejectedCountedAndHarmless() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        Prices b = bean(NODES.b(), Prices.class);
        String cached = b.price(1);
        assertThat(b.price(1)).isEqualTo(cached);                      // B now holds it in its near layer
        long faultsBefore = statistics(NODES.b(), MESSAGES).faults();

        publish(message(MESSAGES, CacheKey.of("price-{}", new Gadget())));
        publish(message(MESSAGES, new Gadget()));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> statistics(NODES.b(), MESSAGES).faults() == faultsBefore + 2);
        assertThat(Gadget.DESERIALISED).as("the gadget's readObject never ran").isFalse();

        CacheStatistics before = statistics(NODES.b(), MESSAGES);
        assertThat(b.price(1)).as("the value is still right").isEqualTo(cached);
        assertThat(statistics(NODES.b(), MESSAGES).nearHits()).as("B dropped its near copies: the key was unknown")
                .isEqualTo(before.nearHits());

        a.change(1);                                                   // a well-formed invalidation still works
        await().atMost(Duration.ofSeconds(10)).until(() -> !b.price(1).equals(cached));
    }

    @Test
    void keysOfDeclaredAndJdkValueTypesPassTheFilter() throws Exception {
        KeyFilter filter = new KeyFilter(java.util.Set.of(Long.class), getClass().getClassLoader());
        for (Object value : new Object[] {42L, "text", LocalDate.of(2026, 1, 2), UUID.randomUUID(),
                new long[] {1, 2}, Thread.State.NEW}) {
            assertThat(read(filter, CacheKey.of("k-{}", value))).isEqualTo(CacheKey.of("k-{}", value));
        }
    }

    private static Object read(KeyFilter filter, Object written) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(written);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        }
    }

    /** A message as {@link InvalidationBus} writes one, from a node that does not exist, with any object as key. */
    private static byte[] message(String cache, Object key) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            UUID sender = UUID.randomUUID();
            out.writeLong(sender.getMostSignificantBits());
            out.writeLong(sender.getLeastSignificantBits());
            out.writeByte(1);                                          // the form of this version's messages
            out.writeByte('I');
            out.writeLong(1);                                          // its first message
            out.writeLong(0);                                          // from a node older than the receivers
            out.writeUTF(cache);
            out.writeBoolean(true);
            ObjectOutputStream objects = new ObjectOutputStream(out);
            objects.writeObject(key);
            objects.flush();
        }
        return bytes.toByteArray();
    }

    private static void publish(byte[] message) {
        ITopic<byte[]> topic = EmbeddedHazelcast.shared().getTopic(InvalidationBus.TOPIC);
        topic.publish(message);
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
