package org.layeredcache.internal.cluster;

import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.ForyBuilder;
import org.apache.fory.memory.MemoryBuffer;
import org.apache.fory.resolver.ClassResolver;

import java.io.NotSerializableException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Values in Apache Fory's Java form, under the same rules as Java serialization through the {@link ValueFilter}:
 * no registration of the application's classes, but the filter is asked about every class that has no serializer
 * built into Fory before Fory makes one for it, on writing and on reading (so before any instance is made), and
 * the class must be {@link Serializable}, as Java serialization would require. Shared references and cycles are
 * kept, as Java serialization keeps them. Fory's compatible mode: an entry names each class's fields, so an entry
 * written by another version of a class is read field by field (fields the class no longer has are skipped, new
 * ones keep their defaults), as Java serialization reads a changed class that kept its {@code serialVersionUID};
 * Fory needs that mode for classes with their own {@code writeObject}/{@code readObject}. Fory's own list of
 * classes it never reads applies too. Thread-safe: a pool of Fory instances, bound to the application's class
 * loader, without thread-locals on the server's threads.
 *
 * <p>Fory generates and compiles a serializer for a class the first time an instance meets it (a few hundred
 * milliseconds on a cold JVM, while every other caller of that class waits): {@link #warmUp} has that done before
 * requests need it.
 */
final class ForyForm {

    /** Fory instances in the pool: Fory's own default for a thread-safe pool. */
    static final int POOL_SIZE = Math.max(1, Runtime.getRuntime().availableProcessors() * 4);

    private final ThreadSafeFory fory;

    ForyForm(ClassLoader application, ClassFilter filter) {
        this.fory = new ForyBuilder()
                .withXlang(false)                                // Java's own form: no cross-language registration
                .requireClassRegistration(false)                 // the filter decides instead
                .suppressClassRegistrationWarnings(true)
                .withTypeChecker((resolver, className) -> admitted(application, filter, className))
                .withClassLoader(application)
                .withCompatible(true)
                .withRefTracking(true)
                .withMaxDepth((int) ValueFilter.MAX_DEPTH)
                .withAsyncCompilation(false)                     // no threads of its own inside the server
                .buildThreadSafeForyPool(POOL_SIZE);
    }

    /**
     * The value's bytes in Fory's form behind {@code header}.
     *
     * @throws UncheckedIOException wrapping a {@link NotSerializableException} if the value (or a class it holds) is
     *                              not serializable or not admitted by the filter: the value's fault
     */
    byte[] write(Object value, byte[] header) {
        if (!(value instanceof Serializable)) {
            throw new UncheckedIOException(new NotSerializableException(value.getClass().getName()));
        }
        byte[] body;
        try {
            body = fory.serialize(value);
        } catch (RuntimeException e) {
            NotSerializableException refused = new NotSerializableException(value.getClass().getName()
                    + " cannot be written for the cluster: " + e.getMessage());
            refused.initCause(e);
            throw new UncheckedIOException(refused);
        }
        byte[] entry = new byte[header.length + body.length];
        System.arraycopy(header, 0, entry, 0, header.length);
        System.arraycopy(body, 0, entry, header.length, body.length);
        return entry;
    }

    /** The value in {@code length} bytes of {@code bytes} from {@code offset}; Fory's exception if it cannot. */
    Object read(byte[] bytes, int offset, int length) {
        return fory.deserialize(MemoryBuffer.fromByteArray(bytes, offset, length));
    }

    /**
     * Has every instance of the pool read the value in {@code length} bytes of {@code bytes} from {@code offset},
     * and write what it read, once: the serializers of the value's classes are then generated and compiled, for
     * reading and for writing, in every instance. Holds all instances meanwhile (callers of {@link #read} and
     * {@link #write} wait); one warm-up at a time.
     *
     * @throws RuntimeException Fory's, if the value cannot be read or written
     */
    synchronized void warmUp(byte[] bytes, int offset, int length) {
        onEveryInstance(instance -> instance.serialize(
                instance.deserialize(MemoryBuffer.fromByteArray(bytes, offset, length))), POOL_SIZE);
    }

    /** How many instances of the pool hold a serializer for {@code type} already. */
    synchronized int instancesKnowing(Class<?> type) {
        int[] knowing = {0};
        onEveryInstance(instance -> {
            if (instance.getTypeResolver() instanceof ClassResolver resolver
                    && resolver.getSerializer(type, false) != null) {
                knowing[0]++;
            }
        }, POOL_SIZE);
        return knowing[0];
    }

    /** Runs {@code action} on {@code left} instances, each borrowed while the ones before it are still held. */
    private void onEveryInstance(Consumer<Fory> action, int left) {
        if (left > 0) {
            fory.execute(instance -> {
                action.accept(instance);
                onEveryInstance(action, left - 1);
                return null;
            });
        }
    }

    private static boolean admitted(ClassLoader application, ClassFilter filter, String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, application);      // loaded, not initialized: no code of it runs
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        return filter.admits(type) && (type.isPrimitive() || Serializable.class.isAssignableFrom(type));
    }

    @Override
    public String toString() {
        return "ForyForm" + fory;
    }
}
