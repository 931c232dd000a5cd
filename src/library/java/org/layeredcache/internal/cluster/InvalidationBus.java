package org.layeredcache.internal.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.key.Entries;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the other nodes to drop keys from their near layers, over a Hazelcast topic of the cluster the cluster layer
 * lives in; the same topic carries operators' questions where a key is ({@link #ask}), a message type of their own
 * that only their answerer ({@link Questions}) receives. Messages are plain bytes (node id, kind, cache name,
 * serialized key), so Hazelcast never has to load an application class on its own threads; this node decodes them
 * with the application's class loader, through a {@link KeyFilter} that admits only what a key may hold.
 *
 * <p>Delivery is best effort, as with any Hazelcast topic: a message can be lost when a member fails. The near
 * layer's TTL bounds how long such a loss can leave a node stale.
 */
public final class InvalidationBus {

    /** Receives the invalidations other nodes published. */
    public interface Receiver {
        /**
         * Drops {@code key} ({@code null}: every entry) from this node's near layer of {@code cache}; the other
         * node published it at {@code publishedAt} (epoch milliseconds, the cluster's clock).
         */
        void invalidated(String cache, Entries entries, long publishedAt);

        /**
         * An invalidation of {@code cache} arrived whose key could not be read (the filter rejected it, or it is
         * malformed): nothing of it was instantiated, and since the key is unknown, the receiver should drop
         * every entry of the cache from this node's near layer.
         */
        void unreadable(String cache, Exception failure);

        /** Another node invalidated tags: their new versions. */
        void tagsInvalidated(Map<String, Long> versions);
    }

    /**
     * Answers operators' questions where a key is: a message type of its own on the same topic, which only an
     * answerer set with {@link #answerQuestionsWith} receives.
     */
    public interface Questions {
        /** Another node asks where {@code key} of {@code cache} is on this node; {@code question} names the answer. */
        void asked(String question, String cache, CacheKey key);
    }

    static final String TOPIC = "layered-cache-invalidations";
    private static final byte INVALIDATION = 'I';
    private static final byte QUESTION = 'Q';
    private static final byte TAGS = 'T';
    private static final Logger LOG = Logger.getLogger(InvalidationBus.class.getName());

    private final ITopic<byte[]> topic;
    private final UUID node = UUID.randomUUID();
    private final AtomicBoolean unreadableLogged = new AtomicBoolean();
    private final ClassLoader classLoader;
    private final KeyFilter filter;
    private final UUID registration;
    private volatile Questions questions;

    /**
     * @param keyTypes the key value types the deployment declares, which messages may carry besides the JDK's
     *                 value types (see {@link KeyFilter})
     */
    public InvalidationBus(HazelcastInstance hazelcast, ClassLoader classLoader, Set<Class<?>> keyTypes,
                           Receiver receiver) {
        this.topic = hazelcast.getTopic(TOPIC);
        this.classLoader = classLoader;
        this.filter = new KeyFilter(keyTypes, classLoader);
        this.registration = topic.addMessageListener((Message<byte[]> message) -> receive(message, receiver));
    }

    /** Publishes the invalidation of {@code key}; throws if the cluster does. */
    void publish(String cache, CacheKey key) {
        topic.publish(encode(INVALIDATION, null, cache, key));
    }

    /** Publishes the invalidation of every entry of {@code cache}; throws if the cluster does. */
    void publishAll(String cache) {
        topic.publish(encode(INVALIDATION, null, cache, null));
    }

    /** Publishes the new versions of invalidated tags; throws if the cluster does. */
    void publishTags(Map<String, Long> versions) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(node.getMostSignificantBits());
            out.writeLong(node.getLeastSignificantBits());
            out.writeByte(TAGS);
            out.writeInt(versions.size());
            for (Map.Entry<String, Long> tag : versions.entrySet()) {
                out.writeUTF(tag.getKey());
                out.writeLong(tag.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tags " + versions.keySet() + " cannot be written", e);
        }
        topic.publish(bytes.toByteArray());
    }

    /** Asks the other nodes where {@code key} of {@code cache} is; {@code question} names their answers. */
    void ask(String question, String cache, CacheKey key) {
        topic.publish(encode(QUESTION, question, cache, key));
    }

    /** Who answers the other nodes' questions where a key is; without one, questions are ignored. */
    void answerQuestionsWith(Questions answerer) {
        this.questions = answerer;
    }

    void close() {
        try {
            topic.removeMessageListener(registration);
        } catch (RuntimeException alreadyDown) {
            LOG.log(Level.FINE, "invalidation listener not removed", alreadyDown);
        }
    }

    private void receive(Message<byte[]> message, Receiver receiver) {
        String cache = null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message.getMessageObject()))) {
            UUID origin = new UUID(in.readLong(), in.readLong());
            if (origin.equals(node)) {
                return;
            }
            byte kind = in.readByte();
            if (kind == TAGS) {
                receiver.tagsInvalidated(readTags(in));
                return;
            }
            String question = kind == QUESTION ? in.readUTF() : null;
            cache = in.readUTF();
            CacheKey key = in.readBoolean() ? readKey(in) : null;
            if (kind == QUESTION) {
                Questions answerer = questions;
                if (answerer != null && key != null) {
                    answerer.asked(question, cache, key);
                }
            } else {
                Entries entries = key == null ? Entries.ALL : Entries.one(key);     // no key on the wire: all
                receiver.invalidated(cache, entries, message.getPublishTime());
            }
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (cache != null) {
                receiver.unreadable(cache, e);
            } else if (unreadableLogged.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "An invalidation message without a readable cache name was ignored (logged"
                        + " once); the near layers' TTL bounds the staleness such a message may leave", e);
            }
        }
    }

    /**
     * The message: this node, its kind (and a question's name), the cache, and whether a key follows (else: all
     * entries), then the key.
     */
    private byte[] encode(byte kind, String question, String cache, CacheKey key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(node.getMostSignificantBits());
            out.writeLong(node.getLeastSignificantBits());
            out.writeByte(kind);
            if (question != null) {
                out.writeUTF(question);
            }
            out.writeUTF(cache);
            out.writeBoolean(key != null);
            if (key != null) {
                ObjectOutputStream objects = new ObjectOutputStream(out);
                objects.writeObject(key);
                objects.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cache key " + key + " cannot be serialized", e);
        }
        return bytes.toByteArray();
    }

    /** A tag message's versions: strings and numbers only, nothing deserialised. */
    private static Map<String, Long> readTags(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 100_000) {
            throw new InvalidObjectException("a tag message announces " + count + " tags");
        }
        Map<String, Long> versions = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            versions.put(in.readUTF(), in.readLong());
        }
        return versions;
    }

    /** Reads a key through the {@link KeyFilter}: a class it rejects is never initialised or instantiated. */
    private CacheKey readKey(InputStream in) throws IOException, ClassNotFoundException {
        try (ObjectInputStream objects = new FilteredObjectInput(in, classLoader, filter)) {
            Object key = objects.readObject();
            if (!(key instanceof CacheKey cacheKey)) {
                throw new InvalidObjectException("an invalidation message holds a " + key.getClass().getName()
                        + " where a cache key belongs");
            }
            return cacheKey;
        }
    }
}
