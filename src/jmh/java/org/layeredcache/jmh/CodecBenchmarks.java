package org.layeredcache.jmh;

import com.github.luben.zstd.Zstd;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * How the cluster layer's values could be stored: Java serialization alone (the baseline), then deflated with the
 * JDK, LZ4 (lz4-java) or Zstandard (zstd-jni); or serialized by Kryo or Apache Fory instead, each set up as the
 * library would have to: any class without registration, but only classes an allow-list admits read back (the
 * stand-in for the deserialisation filter), the application's class loader, and for Fory the compatible mode that
 * a rolling upgrade with changed classes needs. One operation is a put and a get's codec work: serialize and
 * compress, then decompress and deserialize. Values are lists of template-like records (text with repeated
 * words, as the example's templates), of about 2 KB, 64 KB and 2 MB serialized. The stored sizes are kept in
 * {@link #SIZES} for the report.
 */
public class CodecBenchmarks {

    /** Stored bytes per "codec size" (a size of -1: not measured yet). */
    static final Map<String, Integer> SIZES = new ConcurrentHashMap<>();

    /** One template-like record. */
    public record Template(long id, String name, String body) implements Serializable {
    }

    @State(Scope.Benchmark)
    public static class Value {
        @Param({"2048", "65536", "2097152"})
        int size;

        @Param({"java", "deflate", "lz4", "zstd", "kryo", "fory"})
        String codec;

        ArrayList<Template> value;
        int serializedLength;

        @Setup(Level.Trial)
        public void build() {
            value = new ArrayList<>();
            Random random = new Random(size);
            String[] words = {"service", "template", "version", "user", "permission", "render", "header", "footer",
                "{{name}}", "<div>", "</div>", "class=\"row\"", "lorem", "ipsum", "dolor", "amet"};
            while (serialize(value).length < size) {
                StringBuilder body = new StringBuilder();
                for (int i = 0; i < 400; i++) {
                    body.append(words[random.nextInt(words.length)]).append(' ');
                }
                value.add(new Template(value.size(), "template " + value.size(), body.toString()));
            }
            serializedLength = serialize(value).length;
            SIZES.put(codec + " " + size, encode(codec, value).length);
            SIZES.put("serialized " + size, serializedLength);
        }
    }

    @Benchmark
    public Object putAndGet(Value value) {
        return decode(value.codec, encode(value.codec, value.value));
    }

    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    /** The allow-list the serializers read through: what the benchmark's values hold, as a filter would admit. */
    static boolean admitted(String className) {
        return className.startsWith("java.util.") || className.startsWith("java.lang.")
                || className.startsWith(CodecBenchmarks.class.getName());
    }

    /** Kryo refuses a class the allow-list does not admit when it loads it by name. */
    private static final class AdmittingLoader extends ClassLoader {
        AdmittingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!admitted(name)) {
                throw new ClassNotFoundException(name + " is not admitted");
            }
            return super.loadClass(name, resolve);
        }
    }

    private static final ThreadLocal<com.esotericsoftware.kryo.Kryo> KRYO = ThreadLocal.withInitial(() -> {
        com.esotericsoftware.kryo.Kryo kryo = new com.esotericsoftware.kryo.Kryo();
        kryo.setRegistrationRequired(false);
        kryo.setReferences(true);
        kryo.setClassLoader(new AdmittingLoader(CodecBenchmarks.class.getClassLoader()));
        return kryo;
    });

    private static final org.apache.fory.ThreadSafeFory FORY = new org.apache.fory.config.ForyBuilder()
            .withXlang(false)                                 // Java's own format: no cross-language registration
            .requireClassRegistration(false)
            .withTypeChecker((resolver, className) -> admitted(className))
            .withClassLoader(CodecBenchmarks.class.getClassLoader())
            .withCompatible(true)
            .withRefTracking(true)
            .buildThreadSafeFory();

    static byte[] encode(String codec, Object value) {
        if (codec.equals("kryo")) {
            com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(4096, -1);
            KRYO.get().writeClassAndObject(out, value);
            return out.toBytes();
        }
        if (codec.equals("fory")) {
            return FORY.serialize(value);
        }
        byte[] plain = serialize(value);
        return switch (codec) {
            case "java" -> plain;
            case "deflate" -> deflate(plain);
            case "lz4" -> {
                LZ4Compressor compressor = LZ4.fastCompressor();
                byte[] out = new byte[4 + compressor.maxCompressedLength(plain.length)];
                ByteBuffer.wrap(out).putInt(plain.length);
                int length = compressor.compress(plain, 0, plain.length, out, 4, out.length - 4);
                yield java.util.Arrays.copyOf(out, 4 + length);
            }
            case "zstd" -> Zstd.compress(plain, 1);
            default -> throw new IllegalArgumentException(codec);
        };
    }

    static Object decode(String codec, byte[] stored) {
        if (codec.equals("kryo")) {
            return KRYO.get().readClassAndObject(new com.esotericsoftware.kryo.io.Input(stored));
        }
        if (codec.equals("fory")) {
            return FORY.deserialize(stored);
        }
        byte[] plain = switch (codec) {
            case "java" -> stored;
            case "deflate" -> inflate(stored);
            case "lz4" -> {
                int length = ByteBuffer.wrap(stored).getInt();
                LZ4FastDecompressor decompressor = LZ4.fastDecompressor();
                byte[] out = new byte[length];
                decompressor.decompress(stored, 4, out, 0, length);
                yield out;
            }
            case "zstd" -> Zstd.decompress(stored, (int) Zstd.getFrameContentSize(stored));
            default -> throw new IllegalArgumentException(codec);
        };
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(plain))) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] serialize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** As the library does it: {@code Deflater.BEST_SPEED}. */
    private static byte[] deflate(byte[] plain) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(plain);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 16);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            ByteBuffer length = ByteBuffer.allocate(4).putInt(plain.length);
            byte[] body = out.toByteArray();
            byte[] stored = new byte[4 + body.length];
            System.arraycopy(length.array(), 0, stored, 0, 4);
            System.arraycopy(body, 0, stored, 4, body.length);
            return stored;
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] stored) {
        int length = ByteBuffer.wrap(stored).getInt();
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stored, 4, stored.length - 4);
            byte[] out = new byte[length];
            int at = 0;
            while (at < length) {
                at += inflater.inflate(out, at, length - at);
            }
            return out;
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        } finally {
            inflater.end();
        }
    }

    /** The stored sizes measured so far, one line each: "codec size bytes". */
    static List<String> sizes() {
        return SIZES.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).sorted().toList();
    }
}
