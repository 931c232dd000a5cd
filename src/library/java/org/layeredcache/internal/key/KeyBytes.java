package org.layeredcache.internal.key;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * The compact byte form of a {@link CacheKey}, as the cluster layer stores it: deterministic (equal keys give
 * equal bytes, which Hazelcast compares and partitions by) and injective (different keys give different bytes).
 * Written only, never read back: nothing is deserialised from it.
 *
 * <p>Layout: a format byte, the shape, the number of values, then each value as a tag and its content. Strings
 * of ASCII characters take one byte per character, other strings two; integral numbers (held as {@code long})
 * eight bytes; booleans one; enums their class and constant names. Any other value is written with Java
 * serialization, as before: its form is deterministic for the value types keys may hold. Measured against Java
 * serialization of the whole key in docs/BENCHMARKS.md (the profile of a cluster hit). Thread-safe.
 */
final class KeyBytes {

    private static final byte FORMAT = 1;
    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte ASCII = 2;
    private static final byte CHARS = 3;
    private static final byte BOOLEAN = 4;
    private static final byte ENUM = 5;
    private static final byte SERIALIZED = 9;

    private KeyBytes() {
    }

    static byte[] of(String shape, Object[] values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + shape.length() + 16 * values.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            string(out, shape);
            out.writeInt(values.length);
            for (Object value : values) {
                value(out, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a key value cannot be written: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private static void value(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Long number) {
            out.writeByte(LONG);
            out.writeLong(number);
        } else if (value instanceof String text) {
            string(out, text);
        } else if (value instanceof Boolean flag) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(flag);
        } else if (value instanceof Enum<?> constant) {
            out.writeByte(ENUM);
            string(out, constant.getDeclaringClass().getName());
            string(out, constant.name());
        } else {
            ByteArrayOutputStream serialized = new ByteArrayOutputStream(64);
            try (ObjectOutputStream object = new ObjectOutputStream(serialized)) {
                object.writeObject(value);
            }
            out.writeByte(SERIALIZED);
            out.writeInt(serialized.size());
            serialized.writeTo(out);
        }
    }

    private static void string(DataOutputStream out, String text) throws IOException {
        boolean ascii = true;
        for (int i = 0; i < text.length() && ascii; i++) {
            ascii = text.charAt(i) < 0x80;
        }
        out.writeByte(ascii ? ASCII : CHARS);
        out.writeInt(text.length());
        if (ascii) {
            out.writeBytes(text);
        } else {
            out.writeChars(text);
        }
    }
}
