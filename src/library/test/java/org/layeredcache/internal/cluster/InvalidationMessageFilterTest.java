package org.layeredcache.internal.cluster;

import com.hazelcast.topic.ITopic;
import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.CacheStatistics;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.testing.EmbeddedHazelcast;
import org.layeredcache.testing.InProcessNodes;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * Anyone who can publish on the cluster's invalidation topic could send bytes that deserialise into a gadget
 * chain. A crafted message naming a class that no key may hold is rejected before that class is instantiated,
 * counted and logged as a fault of the cache it names, makes the node drop its near copies of that cache (the key
 * is unknown), and leaves the node working.
 */
class InvalidationMessageFilterTest {

    private static final String CACHE = "filtered";

    @ApplicationScoped
    public static class Prices {
        private final AtomicInteger loads = new AtomicInteger();

        @CachedRead(cache = CACHE, key = "price-{id}")
        public String price(long id) {
            return "price " + id + " load " + loads.incrementAndGet();
        }

        @Invalidates(cache = CACHE, key = "price-{id}")
        public void change(long id) {
        }
    }

    /** Stands for a gadget: a serializable class of the application that no key declares. */
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

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Prices.class);

    @Test
    void aKeyCarryingAClassNoKeyDeclaresIsRejectedCountedAndHarmless() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        Prices b = bean(NODES.b(), Prices.class);
        String cached = b.price(1);
        assertThat(b.price(1)).isEqualTo(cached);                      // B now holds it in its near layer
        long faultsBefore = statistics(NODES.b(), CACHE).faults();

        publish(message(CACHE, CacheKey.of("price-{}", new Gadget())));
        publish(message(CACHE, new Gadget()));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> statistics(NODES.b(), CACHE).faults() == faultsBefore + 2);
        assertThat(Gadget.DESERIALISED).as("the gadget's readObject never ran").isFalse();

        CacheStatistics before = statistics(NODES.b(), CACHE);
        assertThat(b.price(1)).as("the value is still right").isEqualTo(cached);
        assertThat(statistics(NODES.b(), CACHE).nearHits()).as("B dropped its near copies: the key was unknown")
                .isEqualTo(before.nearHits());

        a.change(1);                                                   // a well-formed invalidation still works
        await().atMost(Duration.ofSeconds(10)).until(() -> !b.price(1).equals(cached));
    }

    @Test
    void keysOfDeclaredAndJdkValueTypesPassTheFilter() throws Exception {
        KeyFilter filter = new KeyFilter(java.util.Set.of(Long.class), getClass().getClassLoader());
        for (Object value : new Object[] {42L, "text", java.time.LocalDate.of(2026, 1, 2), UUID.randomUUID(),
                new long[] {1, 2}, Thread.State.NEW}) {
            assertThat(read(filter, CacheKey.of("k-{}", value))).isEqualTo(CacheKey.of("k-{}", value));
        }
    }

    private static Object read(KeyFilter filter, Object written) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(written);
        }
        try (ObjectInputStream in = new ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
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
            out.writeByte('I');
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
}
