package org.layeredcache.internal.key;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry's identity inside a cache: the shape of its key template (the literal text, placeholders written
 * {@code {}}) and the placeholder values, compared by value. Two different argument tuples never make equal
 * keys, whatever characters they contain, because values are never concatenated into text.
 *
 * <p>Keys travel to the cluster layer and in invalidation messages, so they are {@link Serializable}; their
 * hash is computed once, from values only (an enum hashes by its name), so it is the same on every JVM.
 * Integral numbers are held as {@code long} and arrays are copied. Immutable and thread-safe as long as the
 * values are.
 */
public final class CacheKey implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String shape;
    private final Object[] values;
    private transient int hash;
    private transient volatile byte[] bytes;

    private CacheKey(String shape, Object[] values) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.values = values;
        this.hash = computeHash();
    }

    /**
     * The key of {@code values} under a template of the given shape. The array is normalised in place: the
     * caller hands it over.
     */
    public static CacheKey of(String shape, Object... values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = normalise(values[i]);
        }
        return new CacheKey(shape, values);
    }

    /** The template's literal text with each placeholder written {@code {}}. */
    public String shape() {
        return shape;
    }

    /**
     * The key's compact, deterministic byte form for the cluster layer ({@link KeyBytes}); computed once per key.
     *
     * @throws java.io.UncheckedIOException if a value cannot be written (a value that is not serializable)
     */
    public byte[] bytes() {
        byte[] form = bytes;
        if (form == null) {
            form = KeyBytes.of(shape, values);
            bytes = form;
        }
        return form;
    }

    static Object normalise(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Object[] array) {
            Object[] copy = array.clone();
            for (int i = 0; i < copy.length; i++) {
                copy[i] = normalise(copy[i]);
            }
            return copy;
        }
        if (value != null && value.getClass().isArray()) {
            return primitiveArrayCopy(value);
        }
        return value;
    }

    private static Object primitiveArrayCopy(Object array) {
        if (array instanceof int[] a) {
            return a.clone();
        } else if (array instanceof long[] a) {
            return a.clone();
        } else if (array instanceof byte[] a) {
            return a.clone();
        } else if (array instanceof char[] a) {
            return a.clone();
        } else if (array instanceof short[] a) {
            return a.clone();
        } else if (array instanceof boolean[] a) {
            return a.clone();
        } else if (array instanceof double[] a) {
            return a.clone();
        }
        return ((float[]) array).clone();
    }

    private int computeHash() {
        int result = shape.hashCode();
        for (Object value : values) {
            result = 31 * result + stableHash(value);
        }
        return result;
    }

    private static int stableHash(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Enum<?> constant) {
            return constant.getDeclaringClass().getName().hashCode() * 31 + constant.name().hashCode();
        }
        if (value instanceof Object[] array) {
            int result = 1;
            for (Object element : array) {
                result = 31 * result + stableHash(element);
            }
            return result;
        }
        if (value.getClass().isArray()) {
            return Arrays.deepHashCode(new Object[] {value});
        }
        return value.hashCode();
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (shape == null || values == null) {
            throw new java.io.InvalidObjectException("a cache key needs a shape and values");
        }
        hash = computeHash();
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        return other instanceof CacheKey key
                && hash == key.hash
                && shape.equals(key.shape)
                && Arrays.deepEquals(values, key.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The key as a reader would write it: the template with its values filled in, e.g. {@code service-42}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(shape.length() + 16 * values.length);
        int next = 0;
        int from = 0;
        for (int at = shape.indexOf("{}"); at >= 0; at = shape.indexOf("{}", from)) {
            text.append(shape, from, at);
            text.append(render(next < values.length ? values[next++] : null));
            from = at + 2;
        }
        return text.append(shape, from, shape.length()).toString();
    }

    private static String render(Object value) {
        if (value == null || !value.getClass().isArray()) {
            return String.valueOf(value);
        }
        String wrapped = Arrays.deepToString(new Object[] {value});
        return wrapped.substring(1, wrapped.length() - 1);
    }
}
