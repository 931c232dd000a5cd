package org.layeredcache.internal.cluster;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.layeredcache.internal.config.ValueForm;
import org.layeredcache.internal.layer.NullValue;

import java.io.NotSerializableException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both forms of the cluster layer's values keep what a cached value needs (records, collections, JDK data types,
 * the null marker, shared references and cycles), refuse what is not serializable on writing, and each node reads
 * entries of both forms whichever it writes, deflated or not.
 */
class ValueFormsTest {

    private static final ClassLoader APPLICATION = ValueFormsTest.class.getClassLoader();

    public record Line(String text, BigDecimal amount) implements Serializable {
    }

    public record Invoice(long id, List<Line> lines, Map<String, Instant> dates, Set<String> tags,
                          String note) implements Serializable {
    }

    /** A mutable node of a graph, to see shared references and cycles kept. */
    public static final class Node implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        final String name;
        final List<Node> next = new ArrayList<>();

        Node(String name) {
            this.name = name;
        }
    }

    /** Not serializable, held by a record that is. */
    public static final class Plain {
        final int n = 1;
    }

    public record Holder(Plain plain) implements Serializable {
    }

    private final ClusterCodec codec = new ClusterCodec(APPLICATION, new ValueFilter(APPLICATION, null));

    private static Invoice invoice() {
        Map<String, Instant> dates = new LinkedHashMap<>();
        dates.put("issued", Instant.parse("2026-11-30T08:00:00Z"));
        dates.put("due", Instant.parse("2026-12-30T08:00:00Z"));
        return new Invoice(42, List.of(new Line("seats", new BigDecimal("12.50")), new Line("support", BigDecimal.TEN)),
                dates, new java.util.TreeSet<>(Set.of("b", "a")), null);
    }

    @ParameterizedTest
    @EnumSource(ValueForm.class)
    void recordsCollectionsAndJdkDataTypesComeBackEqual(ValueForm form) {
        Map<Long, Invoice> value = new TreeMap<>(Map.of(1L, invoice(), 2L, invoice()));

        byte[] entry = codec.entry(value, form, Integer.MAX_VALUE, 1234);

        assertThat(ClusterCodec.isFory(entry)).isEqualTo(form == ValueForm.FORY);
        assertThat(ClusterCodec.writtenAt(entry)).isEqualTo(1234);
        assertThat(codec.read(entry)).isEqualTo(value);
        assertThat(codec.read(codec.entry(NullValue.INSTANCE, form, Integer.MAX_VALUE, 0))).isSameAs(NullValue.INSTANCE);
        assertThat(codec.read(codec.entry("text", form, Integer.MAX_VALUE, 0))).isEqualTo("text");
    }

    @ParameterizedTest
    @EnumSource(ValueForm.class)
    void sharedReferencesAndCyclesAreKept(ValueForm form) {
        Node a = new Node("a");
        Node b = new Node("b");
        a.next.add(b);
        a.next.add(b);
        b.next.add(a);

        Node read = (Node) codec.read(codec.entry(a, form, Integer.MAX_VALUE, 0));

        assertThat(read.next.get(0)).isSameAs(read.next.get(1));
        assertThat(read.next.get(0).next.get(0)).isSameAs(read);
        assertThat(read.next.get(0).name).isEqualTo("b");
    }

    @ParameterizedTest
    @EnumSource(ValueForm.class)
    void aLargeValueIsDeflatedAndReadBack(ValueForm form) {
        List<String> large = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            large.add("a line of text that repeats itself, number " + i % 10);
        }

        byte[] entry = codec.entry(large, form, 4096, 0);
        byte[] plain = codec.entry(large, form, Integer.MAX_VALUE, 0);

        assertThat(ClusterCodec.isDeflated(entry)).isTrue();
        assertThat(ClusterCodec.isFory(entry)).isEqualTo(form == ValueForm.FORY);
        assertThat(entry.length).isLessThan(plain.length / 4);
        assertThat(codec.read(entry)).isEqualTo(large);
    }

    @Test
    void aNodeReadsEntriesOfBothFormsWhicheverItsCachesWrite() {
        ClusterCodec otherNode = new ClusterCodec(APPLICATION, new ValueFilter(APPLICATION, null));

        for (ValueForm form : ValueForm.values()) {
            assertThat(otherNode.read(codec.entry(invoice(), form, Integer.MAX_VALUE, 0))).isEqualTo(invoice());
            assertThat(otherNode.read(codec.entry(invoice(), form, 10, 0))).isEqualTo(invoice());
        }
    }

    @ParameterizedTest
    @EnumSource(ValueForm.class)
    void whatIsNotSerializableIsRefusedOnWritingAndTheCodecGoesOnWorking(ValueForm form) {

        assertThatThrownBy(() -> codec.entry(new Plain(), form, Integer.MAX_VALUE, 0))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(NotSerializableException.class);
        assertThatThrownBy(() -> codec.entry(new Holder(new Plain()), form, Integer.MAX_VALUE, 0))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(NotSerializableException.class)
                .hasMessageContaining(Holder.class.getName());

        assertThat(codec.read(codec.entry(invoice(), form, Integer.MAX_VALUE, 0))).isEqualTo(invoice());
    }

    @Test
    void aTruncatedForyEntryIsUnreadable() {
        byte[] entry = codec.entry(invoice(), ValueForm.FORY, Integer.MAX_VALUE, 0);

        assertThatThrownBy(() -> codec.read(java.util.Arrays.copyOf(entry, entry.length / 2)))
                .isInstanceOf(ClusterCodec.UnreadableEntryException.class);
    }

    @Test
    void aWarmUpGivesEveryInstanceOfTheForyFormTheCodeForAnEntrysClasses() {
        ClusterCodec fresh = new ClusterCodec(APPLICATION, new ValueFilter(APPLICATION, null));
        byte[] entry = fresh.entry(invoice(), ValueForm.FORY, Integer.MAX_VALUE, 1234);
        assertThat(fresh.instancesKnowing(Invoice.class)).as("only the instance that wrote it")
                .isLessThan(ClusterCodec.formInstances());

        assertThat(fresh.warmUp(entry)).isTrue();

        assertThat(fresh.instancesKnowing(Invoice.class)).isEqualTo(ClusterCodec.formInstances());
        assertThat(fresh.instancesKnowing(Line.class)).isEqualTo(ClusterCodec.formInstances());
        assertThat(fresh.read(entry)).isEqualTo(invoice());
    }

    @Test
    void entriesInJavaSerializationAndClaimsHaveNothingToWarmUp() {
        assertThat(codec.warmUp(codec.entry(invoice(), ValueForm.JAVA, Integer.MAX_VALUE, 1234))).isFalse();
        assertThat(codec.warmUp(ClusterCodec.claim(Reservation.create()))).isFalse();
        assertThat(codec.warmUp(codec.entry(invoice(), ValueForm.FORY, 100, 1234))).as("deflated").isTrue();
    }

    @Test
    void aWarmUpWithAnEntryThatCannotBeReadSaysSo() {
        byte[] entry = codec.entry(invoice(), ValueForm.FORY, Integer.MAX_VALUE, 1234);
        byte[] cut = java.util.Arrays.copyOf(entry, entry.length / 2);

        assertThatThrownBy(() -> codec.warmUp(cut)).isInstanceOf(ClusterCodec.UnreadableEntryException.class);
    }
}
