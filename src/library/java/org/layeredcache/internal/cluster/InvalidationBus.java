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
 * that only their answerer ({@link Questions}) receives. Messages are plain bytes (node id, form, kind, number,
 * start time, cache name, serialized key), so Hazelcast never has to load an application class on its own threads; this
 * node decodes them with the application's class loader, through a {@link KeyFilter} that admits only what a key
 * may hold.
 *
 * <p>Delivery is best effort, as with any Hazelcast topic: a message can be lost when a member fails or is cut
 * off. So each node numbers its invalidations and sends a {@link #heartbeat} with the last number every heartbeat
 * period; a receiver that finds numbers missing ({@link SenderSequences}) tells its {@link Receiver#lost}, which
 * drops what the lost messages may have covered. A loss is thus noticed with the next message or heartbeat of its
 * sender, about one heartbeat period; only the loss of that node's heartbeats too (a node cut off for good) leaves
 * the near layer's TTL as the bound.
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

        /**
         * {@code missed} invalidation messages of another node never arrived (their numbers were skipped): any
         * key of any cache, any tag, may have been in them.
         */
        void lost(long missed);
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
    private static final byte HEARTBEAT = 'H';
    /** The form of this version's messages, their first byte after the node id. */
    private static final byte FORMAT = 1;
    private static final Logger LOG = Logger.getLogger(InvalidationBus.class.getName());

    private final ITopic<byte[]> topic;
    private final com.hazelcast.cluster.Cluster cluster;
    private final UUID node = UUID.randomUUID();
    private final AtomicBoolean unreadableLogged = new AtomicBoolean();
    private final AtomicBoolean unknownFormatLogged = new AtomicBoolean();
    private final ClassLoader classLoader;
    private final KeyFilter filter;
    private final UUID registration;
    private volatile Questions questions;
    /** The number of the last invalidation this node sent; numbering and publishing happen under its lock. */
    private long sent;
    private final Object sending = new Object();
    private final SenderSequences received;
    /** When this node began listening and sending, in the cluster's time; every message says so. */
    private final long startedAt;
    /** Received invalidations still to be dropped on purpose (a test's fault), see {@link #dropReceived}. */
    private final java.util.concurrent.atomic.AtomicInteger toDrop = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param keyTypes  the key value types the deployment declares, which messages may carry besides the JDK's
     *                  value types (see {@link KeyFilter})
     */
    public InvalidationBus(HazelcastInstance hazelcast, ClassLoader classLoader, Set<Class<?>> keyTypes,
                           Receiver receiver) {
        this.topic = hazelcast.getTopic(TOPIC);
        this.classLoader = classLoader;
        this.filter = new KeyFilter(keyTypes, classLoader);
        this.cluster = hazelcast.getCluster();
        this.startedAt = cluster.getClusterTime();
        this.received = new SenderSequences(startedAt);
        this.registration = topic.addMessageListener((Message<byte[]> message) -> receive(message, receiver));
    }

    /** Publishes the invalidation of {@code key}; throws if the cluster does. */
    void publish(String cache, CacheKey key) {
        numbered(INVALIDATION, out -> writeCacheAndKey(out, cache, key));
    }

    /** Publishes the invalidation of every entry of {@code cache}; throws if the cluster does. */
    void publishAll(String cache) {
        numbered(INVALIDATION, out -> writeCacheAndKey(out, cache, null));
    }

    /** Publishes the new versions of invalidated tags; throws if the cluster does. */
    void publishTags(Map<String, Long> versions) {
        numbered(TAGS, out -> {
            out.writeInt(versions.size());
            for (Map.Entry<String, Long> tag : versions.entrySet()) {
                out.writeUTF(tag.getKey());
                out.writeLong(tag.getValue());
            }
        });
    }

    /**
     * Tells the other nodes the number of the last invalidation this node sent; nothing while this member is alone
     * in the cluster (the applications on one member hear each other without loss). Throws if the cluster does.
     */
    void heartbeat() {
        if (cluster.getMembers().size() < 2) {
            return;
        }
        synchronized (sending) {
            topic.publish(message(HEARTBEAT, sent, out -> { }));
        }
    }

    /** Asks the other nodes where {@code key} of {@code cache} is; {@code question} names their answers. */
    void ask(String question, String cache, CacheKey key) {
        topic.publish(message(QUESTION, 0, out -> {
            out.writeUTF(question);
            writeCacheAndKey(out, cache, key);
        }));
    }

    /**
     * Fault injection for tests: the next {@code count} invalidation messages this node receives are dropped
     * unread, as if the cluster had lost them.
     */
    public void dropReceived(int count) {
        toDrop.addAndGet(count);
    }

    /** Numbers the message and publishes it, under one lock, so that the others receive the numbers in order. */
    private void numbered(byte kind, Body body) {
        synchronized (sending) {
            topic.publish(message(kind, sent + 1, body));
            sent++;
        }
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
            byte format = in.readByte();
            if (format != FORMAT) {
                unknownFormat(format, receiver);
                return;
            }
            byte kind = in.readByte();
            long number = in.readLong();
            long originStarted = in.readLong();
            if (kind == HEARTBEAT) {
                missed(received.heartbeat(origin, originStarted, number), receiver);
                return;
            }
            if (kind != QUESTION) {
                if (toDrop.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    return;                                           // a test's fault: as if never received
                }
                missed(received.message(origin, originStarted, number), receiver);
            }
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
     * A message of another form (a node of another version of the library, during a rolling upgrade): what it
     * says cannot be read, so it counts as one lost message; logged once.
     */
    private void unknownFormat(byte format, Receiver receiver) {
        if (unknownFormatLogged.compareAndSet(false, true)) {
            LOG.warning("An invalidation message in form " + format + " arrived, which this version of the library"
                    + " does not read (a node of another version?): it counts as lost, and the near layers are dropped"
                    + " (logged once)");
        }
        receiver.lost(1);
    }

    private static void missed(long count, Receiver receiver) {
        if (count > 0) {
            receiver.lost(count);
        }
    }

    /** What a message carries after its header. */
    @FunctionalInterface
    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * The message: this node, the form, its kind, its number (0 for a question), when this node started, then the
     * body.
     */
    private byte[] message(byte kind, long number, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(node.getMostSignificantBits());
            out.writeLong(node.getLeastSignificantBits());
            out.writeByte(FORMAT);
            out.writeByte(kind);
            out.writeLong(number);
            out.writeLong(startedAt);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("an invalidation message cannot be written", e);
        }
        return bytes.toByteArray();
    }

    /** The cache, and whether a key follows (else: all entries), then the key. */
    private static void writeCacheAndKey(DataOutputStream out, String cache, CacheKey key) throws IOException {
        out.writeUTF(cache);
        out.writeBoolean(key != null);
        if (key != null) {
            try {
                ObjectOutputStream objects = new ObjectOutputStream(out);
                objects.writeObject(key);
                objects.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cache key " + key + " cannot be serialized", e);
            }
        }
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
