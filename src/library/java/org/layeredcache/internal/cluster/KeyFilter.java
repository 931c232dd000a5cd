package org.layeredcache.internal.cluster;

import org.layeredcache.internal.key.CacheKey;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.UUID;

/**
 * Decides which classes a cache key that arrives from another node may contain, before any of them is
 * instantiated: {@link CacheKey} itself, the JDK's value types (strings, boxed primitives, big numbers,
 * {@code java.time} values, UUIDs, arrays of those), enums, the types the deployment's key templates declare, and
 * records of the application's own class loader. Everything else is rejected, so a message crafted to carry a
 * gadget chain fails before any of its classes is initialised or instantiated. Depth, references, array lengths
 * and bytes are capped far above what a key needs. Immutable and thread-safe.
 */
final class KeyFilter extends ClassFilter {

    static final long MAX_DEPTH = 16;
    static final long MAX_REFERENCES = 1_000;
    static final long MAX_ARRAY_LENGTH = 10_000;
    static final long MAX_BYTES = 64 * 1024;

    private static final Set<Class<?>> JDK_VALUES = Set.of(Object.class, String.class, Boolean.class,
            Character.class, Number.class, Byte.class, Short.class, Integer.class, Long.class, Float.class,
            Double.class, BigInteger.class, BigDecimal.class, UUID.class, Enum.class);

    private final Set<Class<?>> declared;
    private final ClassLoader application;

    /**
     * @param declared    the key value types the deployment declares (see {@code KeyTemplate#valueTypes()})
     * @param application the application's class loader
     */
    KeyFilter(Set<Class<?>> declared, ClassLoader application) {
        super(MAX_DEPTH, MAX_REFERENCES, MAX_ARRAY_LENGTH, MAX_BYTES);
        this.declared = Set.copyOf(declared);
        this.application = application;
    }

    @Override
    boolean allowed(Class<?> type) {
        if (type == CacheKey.class || JDK_VALUES.contains(type) || declared.contains(type)) {
            return true;
        }
        if (type.getName().startsWith("java.time.") && type.getClassLoader() == null) {
            return true;                               // java.time values travel as java.time.Ser
        }
        // An enum constant is read by name and never runs code of its class; a record only its constructor.
        return type.isEnum() || type.isRecord() && type.getClassLoader() == application;
    }
}
