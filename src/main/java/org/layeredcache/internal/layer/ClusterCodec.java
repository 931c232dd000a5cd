package org.layeredcache.internal.layer;

import org.layeredcache.internal.key.CacheKey;

import javax.cache.CacheException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * The form keys and entries take in the cluster layer: byte arrays that the library writes and reads itself.
 *
 * <p>Why not hand objects to Hazelcast: inside Payara, Hazelcast's Java serializer writes the caller's
 * application component in front of an object whenever an invocation is active on the thread, and nothing when
 * none is. The same key then has two serialized forms, and Hazelcast partitions and compares keys by those bytes:
 * a claim taken inside an EJB timer's call could never be replaced by its publication after the commit, when
 * the invocation is gone, and stayed in the cluster. A byte array is stored as it is, whoever writes it.
 *
 * <p>An entry is one tag byte, then either a value (Java serialization of the stored form, {@link NullValue}
 * included) or a claim ({@link Reservation}: its 16-byte token). Keys are the Java serialization of the
 * {@link CacheKey}, which is deterministic: equal keys give equal bytes. Values are read back through a
 * {@link ValueFilter} and the application's class loader; nothing the cluster returns is deserialised otherwise.
 * Thread-safe.
 */
public final class ClusterCodec {

    private static final byte VALUE = 1;
    private static final byte CLAIM = 2;

    private final ClassLoader classLoader;
    private final ObjectInputFilter filter;

    ClusterCodec(ClassLoader classLoader, ObjectInputFilter filter) {
        this.classLoader = classLoader;
        this.filter = filter;
    }

    /** The key's bytes in the cluster. */
    public static byte[] key(CacheKey key) {
        return serialize(key, (byte) 0, false);
    }

    /**
     * The entry that holds {@code stored} (a method's result, or {@link NullValue}).
     *
     * @throws UncheckedIOException if the value cannot be serialized (the value's fault, not the cluster's)
     */
    public static byte[] value(Object stored) {
        return serialize(stored, VALUE, true);
    }

    static byte[] claim(Reservation reservation) {
        UUID token = reservation.token();
        return ByteBuffer.allocate(17).put(CLAIM).putLong(token.getMostSignificantBits())
                .putLong(token.getLeastSignificantBits()).array();
    }

    static boolean isClaim(byte[] entry) {
        return entry.length > 0 && entry[0] == CLAIM;
    }

    /**
     * The stored form an entry holds.
     *
     * @throws UnreadableEntryException if the entry is malformed, or its classes are missing, changed or refused
     *                                  by the filter
     */
    Object read(byte[] entry) {
        if (entry.length == 0 || entry[0] != VALUE) {
            throw new UnreadableEntryException("a cluster entry has the unknown tag "
                    + (entry.length == 0 ? "(none)" : String.valueOf(entry[0])), null);
        }
        try (ObjectInputStream in = new FilteredObjectInput(new ByteArrayInputStream(entry, 1, entry.length - 1),
                classLoader, filter)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new UnreadableEntryException("a cluster entry cannot be read: " + e, e);
        }
    }

    private static byte[] serialize(Object object, byte tag, boolean tagged) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        if (tagged) {
            bytes.write(tag);
        }
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(object.getClass().getName() + " cannot be serialized for the cluster", e);
        }
        return bytes.toByteArray();
    }

    /** An entry that this node cannot read; the value's fault, not the cluster's, so the entry is dropped. */
    static final class UnreadableEntryException extends CacheException {
        private static final long serialVersionUID = 1L;

        UnreadableEntryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public String toString() {
        return "ClusterCodec" + Arrays.asList(classLoader, filter);
    }
}
