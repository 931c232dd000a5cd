package org.layeredcache.internal.key;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Method;

import static org.assertj.core.api.Assertions.assertThat;

class CacheKeyTest {

    enum Color { RED, GREEN }

    @SuppressWarnings("unused")
    static class Methods {
        void pair(String x, String y) { }
        void readById(long serviceId) { }
        void writeById(int id) { }
        void tagged(String[] tags) { }
        void colored(Color color) { }
    }

    private static Method method(String name) {
        for (Method method : Methods.class.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return method;
            }
        }
        throw new AssertionError(name);
    }

    private static KeyTemplate template(String text, String method) {
        return KeyTemplate.parse(text, method(method), problem -> {
            throw new AssertionError(problem);
        });
    }

    @Test
    void separatorsInsideValuesNeverMakeTwoTuplesCollide() {
        KeyTemplate template = template("a-{x}-{y}", "pair");

        CacheKey first = template.keyFor(new Object[] {"1-2", "3"});
        CacheKey second = template.keyFor(new Object[] {"1", "2-3"});

        assertThat(first.toString()).isEqualTo(second.toString()).isEqualTo("a-1-2-3");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void placeholderNamesDoNotMatterOnlyTheShape() {
        CacheKey read = template("service-{serviceId}", "readById").keyFor(new Object[] {42L});
        CacheKey write = template("service-{id}", "writeById").keyFor(new Object[] {42});

        assertThat(read).isEqualTo(write).hasSameHashCodeAs(write);
        assertThat(read.shape()).isEqualTo("service-{}");
    }

    @Test
    void differentShapesNeverMatchEvenWithEqualRenderedText() {
        CacheKey braces = template("{x}{y}", "pair").keyFor(new Object[] {"ab", ""});
        CacheKey single = template("{x}", "pair").keyFor(new Object[] {"ab"});

        assertThat(braces.toString()).isEqualTo(single.toString());
        assertThat(braces).isNotEqualTo(single);
    }

    @Test
    void arraysCompareByContentAndAreCopied() {
        KeyTemplate template = template("tags-{tags}", "tagged");
        String[] tags = {"a", "b"};
        CacheKey key = template.keyFor(new Object[] {tags});
        tags[0] = "changed";

        assertThat(key).isEqualTo(template.keyFor(new Object[] {new String[] {"a", "b"}}));
        assertThat(key.toString()).isEqualTo("tags-[a, b]");
        assertThat(CacheKey.of("ids-{}", (Object) new int[] {1, 2})).hasToString("ids-[1, 2]");
    }

    @Test
    void nullIsAValueOfItsOwn() {
        KeyTemplate template = template("a-{x}-{y}", "pair");

        assertThat(template.keyFor(new Object[] {null, "b"}))
                .isEqualTo(template.keyFor(new Object[] {null, "b"}))
                .isNotEqualTo(template.keyFor(new Object[] {"null", "b"}));
    }

    @Test
    void aKeySurvivesSerializationWithTheSameHashAndTheSameBytesForEqualKeys() throws Exception {
        CacheKey fromInt = template("service-{id}", "writeById").keyFor(new Object[] {7});
        CacheKey fromLong = template("service-{serviceId}", "readById").keyFor(new Object[] {7L});

        // The cluster compares keys by their serialized form.
        assertThat(serialize(fromInt)).isEqualTo(serialize(fromLong));
        CacheKey copy = (CacheKey) deserialize(serialize(fromInt));
        assertThat(copy).isEqualTo(fromLong).hasSameHashCodeAs(fromLong);
    }

    @Test
    void theClusterBytesAreEqualForEqualKeysAndDifferForDifferentOnes() {
        enum Colour { RED }
        java.util.List<CacheKey> different = java.util.List.of(
                CacheKey.of("a-{}", 1L), CacheKey.of("a-{}", "1"), CacheKey.of("a-{}", (Object) null),
                CacheKey.of("a-{}", true), CacheKey.of("a-{}", "\u00e9"), CacheKey.of("a-{}", "\u00c3\u00a9"),
                CacheKey.of("a-{}", Colour.RED), CacheKey.of("a-{}", "RED"), CacheKey.of("a-{}-{}", "1", ""),
                CacheKey.of("a-{}-{}", "", "1"), CacheKey.of("a-{}", 1.0), CacheKey.of("b-{}", 1L),
                CacheKey.of("a-{}", (Object) new long[] {1}), CacheKey.of("a-{}", "\ud800"), CacheKey.of("a-{}", "\udc00"));
        java.util.Set<String> forms = new java.util.HashSet<>();
        for (CacheKey key : different) {
            assertThat(forms.add(java.util.Arrays.toString(key.bytes()))).as("%s has bytes of its own", key).isTrue();
        }
        assertThat(CacheKey.of("a-{}", 7).bytes()).as("an int and a long name the same entry")
                .isEqualTo(CacheKey.of("a-{}", 7L).bytes());
        assertThat(CacheKey.of("a-{}", Colour.RED).bytes()).isEqualTo(CacheKey.of("a-{}", Colour.RED).bytes());
    }

    @Test
    void theHashDependsOnValuesOnlySoEveryJvmComputesTheSameOne() {
        // An enum's own hashCode is its identity, different in every JVM; the key hashes its name instead.
        // The expected figure was computed once from the values; an identity-based hash would change per run.
        CacheKey key = CacheKey.of("paint-{}-{}", Color.RED, "wall");

        assertThat(key.hashCode()).isEqualTo(EXPECTED_STABLE_HASH);
        assertThat(key.hashCode()).isNotEqualTo(CacheKey.of("paint-{}-{}", Color.GREEN, "wall").hashCode());
    }

    private static final int EXPECTED_STABLE_HASH = expectedHash();

    /** The documented formula, written out independently of the implementation. */
    private static int expectedHash() {
        int hash = "paint-{}-{}".hashCode();
        hash = 31 * hash + (Color.class.getName().hashCode() * 31 + "RED".hashCode());
        return 31 * hash + "wall".hashCode();
    }

    private static byte[] serialize(Object object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }
}
