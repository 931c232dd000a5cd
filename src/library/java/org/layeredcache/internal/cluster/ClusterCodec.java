package org.layeredcache.internal.cluster;

import org.layeredcache.internal.config.ValueForm;
import org.layeredcache.internal.key.CacheKey;

import javax.cache.CacheException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The form keys and entries take in the cluster layer: byte arrays that the library writes and reads itself.
 *
 * <p>Why not hand objects to Hazelcast: inside Payara, Hazelcast's Java serializer writes the caller's
 * application component in front of an object whenever an invocation is active on the thread, and nothing when
 * none is. The same key then has two serialized forms, and Hazelcast partitions and compares keys by those bytes:
 * a claim taken inside an EJB timer's call could never be replaced by its publication after the commit, when
 * the invocation is gone, and stayed in the cluster. A byte array is stored as it is, whoever writes it.
 *
 * <p>An entry is one tag byte, then either a value or a claim ({@link Reservation}: its 16-byte token). A value
 * is the time it was written (epoch milliseconds, 8 bytes), then the stored form ({@code NullValue} included) in
 * the cache's {@link ValueForm} (Java serialization, or Apache Fory's Java form: {@link ForyForm}), deflated
 * when it is larger than the cache's {@code cluster.compress-above}: the tag says the form and whether it is
 * deflated, so any node reads any entry back, whichever form it writes itself (a node of a version that knows
 * no Fory tag refuses such an entry as unreadable: it is dropped, counted, and reloaded). Keys are their compact
 * byte form ({@link CacheKey#bytes()}), deterministic and never read back. Values are read back through a
 * {@link ValueFilter} and the application's class loader; nothing the cluster returns is deserialised otherwise.
 * Thread-safe.
 */
public final class ClusterCodec {

    private static final byte VALUE = 1;
    private static final byte CLAIM = 2;
    private static final byte VALUE_DEFLATED = 3;
    private static final byte FORY = 4;
    private static final byte FORY_DEFLATED = 5;
    private static final int HEADER = 1 + Long.BYTES;

    private final ClassLoader classLoader;
    private final ValueFilter filter;
    private final ForyForm fory;

    ClusterCodec(ClassLoader classLoader, ValueFilter filter) {
        this.classLoader = classLoader;
        this.filter = filter;
        this.fory = new ForyForm(classLoader, filter);
    }

    /** The key's bytes in the cluster: its compact form (see {@link CacheKey#bytes()}). */
    public static byte[] key(CacheKey key) {
        return key.bytes();
    }

    /**
     * The key under which a refresh of {@code key} is marked: the key's bytes behind a byte that no Java
     * serialization starts with, so it never meets a value's key.
     */
    public static byte[] refreshMark(CacheKey key) {
        byte[] bytes = key(key);
        byte[] mark = new byte[bytes.length + 1];
        mark[0] = 'R';
        System.arraycopy(bytes, 0, mark, 1, bytes.length);
        return mark;
    }

    /**
     * The entry that holds {@code stored} in {@code form}, written at {@code writtenAt} (epoch milliseconds),
     * deflated when its serialized form is larger than {@code compressAbove} bytes and deflating makes it smaller.
     *
     * @throws UncheckedIOException if the value cannot be serialized (the value's fault, not the cluster's)
     */
    public byte[] entry(Object stored, ValueForm form, int compressAbove, long writtenAt) {
        if (form == ValueForm.JAVA) {
            return value(stored, compressAbove, writtenAt);
        }
        return deflatedAbove(fory.write(stored, header(FORY, writtenAt)), FORY_DEFLATED, compressAbove, writtenAt);
    }

    /**
     * The entry that holds {@code stored} (a method's result, or {@code NullValue}) in Java serialization,
     * uncompressed.
     *
     * @throws UncheckedIOException if the value cannot be serialized (the value's fault, not the cluster's)
     */
    public static byte[] value(Object stored) {
        return value(stored, Integer.MAX_VALUE, System.currentTimeMillis());
    }

    /**
     * The entry that holds {@code stored} in Java serialization, written at {@code writtenAt} (epoch milliseconds),
     * deflated when its serialized form is larger than {@code compressAbove} bytes and deflating makes it smaller.
     *
     * @throws UncheckedIOException if the value cannot be serialized (the value's fault, not the cluster's)
     */
    public static byte[] value(Object stored, int compressAbove, long writtenAt) {
        return deflatedAbove(serialize(stored, VALUE, writtenAt), VALUE_DEFLATED, compressAbove, writtenAt);
    }

    /** {@code plain}, or its body deflated behind {@code deflatedTag} if larger than {@code compressAbove}. */
    private static byte[] deflatedAbove(byte[] plain, byte deflatedTag, int compressAbove, long writtenAt) {
        if (plain.length - HEADER <= compressAbove) {
            return plain;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(plain.length / 2 + HEADER);
        bytes.writeBytes(header(deflatedTag, writtenAt));
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, deflater, 8192)) {
            out.write(plain, HEADER, plain.length - HEADER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return bytes.size() < plain.length ? bytes.toByteArray() : plain;
    }

    /** When the value entry was written (epoch milliseconds). */
    public static long writtenAt(byte[] entry) {
        return ByteBuffer.wrap(entry, 1, Long.BYTES).getLong();
    }

    /** Whether the entry is a value that was stored deflated. */
    public static boolean isDeflated(byte[] entry) {
        return entry.length > 0 && (entry[0] == VALUE_DEFLATED || entry[0] == FORY_DEFLATED);
    }

    /** Whether the entry is a value in Apache Fory's form. */
    public static boolean isFory(byte[] entry) {
        return entry.length > 0 && (entry[0] == FORY || entry[0] == FORY_DEFLATED);
    }

    public static byte[] claim(Reservation reservation) {
        UUID token = reservation.token();
        return ByteBuffer.allocate(17).put(CLAIM).putLong(token.getMostSignificantBits())
                .putLong(token.getLeastSignificantBits()).array();
    }

    public static boolean isClaim(byte[] entry) {
        return entry.length > 0 && entry[0] == CLAIM;
    }

    /** The claim an entry holds; only for entries that {@link #isClaim} is true of. */
    public static Reservation claimOf(byte[] entry) {
        ByteBuffer bytes = ByteBuffer.wrap(entry, 1, 16);
        return new Reservation(new UUID(bytes.getLong(), bytes.getLong()));
    }

    /**
     * The stored form an entry holds.
     *
     * @throws UnreadableEntryException if the entry is malformed, or its classes are missing, changed or refused
     *                                  by the filter
     */
    public Object read(byte[] entry) {
        byte tag = entry.length < HEADER ? 0 : entry[0];
        if (tag == FORY || tag == FORY_DEFLATED) {
            try {
                byte[] body = tag == FORY ? entry : inflated(entry);
                int offset = tag == FORY ? HEADER : 0;
                return fory.read(body, offset, body.length - offset);
            } catch (IOException | RuntimeException e) {
                throw new UnreadableEntryException("a cluster entry cannot be read: " + e, e);
            }
        }
        if (tag != VALUE && tag != VALUE_DEFLATED) {
            throw new UnreadableEntryException("a cluster entry has the unknown tag "
                    + (entry.length == 0 ? "(none)" : String.valueOf(entry[0])), null);
        }
        InputStream body = new ByteArrayInputStream(entry, HEADER, entry.length - HEADER);
        try (ObjectInputStream in = new FilteredObjectInput(entry[0] == VALUE_DEFLATED
                ? new InflaterInputStream(body) : body, classLoader, filter)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new UnreadableEntryException("a cluster entry cannot be read: " + e, e);
        }
    }

    /**
     * Has the value form read (and write) the value an entry holds in every instance it keeps, so that the code
     * the form generates for the value's classes exists before requests need it ({@link ForyForm#warmUp}). Entries
     * in Java serialization and claims have nothing to warm.
     *
     * @return whether the entry was in Fory's form and warmed
     * @throws UnreadableEntryException if the entry cannot be read
     */
    public boolean warmUp(byte[] entry) {
        byte tag = entry.length < HEADER ? 0 : entry[0];
        if (tag != FORY && tag != FORY_DEFLATED) {
            return false;
        }
        try {
            byte[] body = tag == FORY ? entry : inflated(entry);
            int offset = tag == FORY ? HEADER : 0;
            fory.warmUp(body, offset, body.length - offset);
            return true;
        } catch (IOException | RuntimeException e) {
            throw new UnreadableEntryException("a cluster entry cannot be read: " + e, e);
        }
    }

    /** How many of the Fory form's instances hold the code for {@code type} already (of {@link #formInstances}). */
    public int instancesKnowing(Class<?> type) {
        return fory.instancesKnowing(type);
    }

    /** How many instances the Fory form keeps (and warms up). */
    public static int formInstances() {
        return ForyForm.POOL_SIZE;
    }

    private static byte[] inflated(byte[] entry) throws IOException {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(entry, HEADER, entry.length - HEADER))) {
            return in.readAllBytes();
        }
    }

    private static byte[] serialize(Object object, byte tag, long writtenAt) {
        return serialize(object, header(tag, writtenAt));
    }

    private static byte[] header(byte tag, long writtenAt) {
        return ByteBuffer.allocate(HEADER).put(tag).putLong(writtenAt).array();
    }

    private static byte[] serialize(Object object, byte[] header) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        if (header != null) {
            bytes.writeBytes(header);
        }
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(object.getClass().getName() + " cannot be serialized for the cluster", e);
        }
        return bytes.toByteArray();
    }

    /** An entry that this node cannot read; the value's fault, not the cluster's, so the entry is dropped. */
    public static final class UnreadableEntryException extends CacheException {
        private static final long serialVersionUID = 1L;

        public UnreadableEntryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public String toString() {
        return "ClusterCodec" + Arrays.asList(classLoader, filter);
    }
}
