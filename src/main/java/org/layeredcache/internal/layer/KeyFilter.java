package org.layeredcache.internal.layer;

import org.layeredcache.internal.key.CacheKey;

import java.io.ObjectInputFilter;
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
final class KeyFilter implements ObjectInputFilter {

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
        this.declared = Set.copyOf(declared);
        this.application = application;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.arrayLength() > MAX_ARRAY_LENGTH
                || info.streamBytes() > MAX_BYTES) {
            return Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.ALLOWED;                     // a check of the limits alone, passed above
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        return allowed(type) ? Status.ALLOWED : Status.REJECTED;
    }

    private boolean allowed(Class<?> type) {
        if (type.isPrimitive() || type == CacheKey.class || JDK_VALUES.contains(type) || declared.contains(type)) {
            return true;
        }
        if (type.getName().startsWith("java.time.") && type.getClassLoader() == null) {
            return true;                               // java.time values travel as java.time.Ser
        }
        // An enum constant is read by name and never runs code of its class; a record only its constructor.
        return type.isEnum() || type.isRecord() && fromApplication(type);
    }

    private boolean fromApplication(Class<?> type) {
        for (ClassLoader loader = application; loader != null; loader = loader.getParent()) {
            if (type.getClassLoader() == loader) {
                return loader == application;
            }
        }
        return false;
    }
}
