package org.layeredcache.internal.counter;

import org.layeredcache.internal.cluster.SharedMap;

import java.util.HashMap;
import java.util.Map;

/**
 * What the cluster holds of a counter that no flush has persisted yet: each entry's total minus what the cluster
 * says is persisted of it (one query over the members for the entries, one read of their persisted totals), plus
 * what this node holds back. Thread-safe.
 */
final class PendingSums {

    private final SharedMap entries;
    private final SharedMap persistedTotals;
    private final NodeAdditions additions;

    PendingSums(SharedMap entries, SharedMap persistedTotals, NodeAdditions additions) {
        this.entries = entries;
        this.persistedTotals = persistedTotals;
        this.additions = additions;
    }

    /**
     * The pending sum of one key, from every node: this node's entry as this node knows it (an amount on its way
     * to the cluster counts once, before and after it arrives), the others' as the cluster holds them.
     */
    long of(String counter, String key) {
        CounterEntry own = additions.own(counter, key);
        Map<String, String> found = new HashMap<>(entries.entriesWhoseValueStartsWith(
                CounterEntry.prefix(counter, key)));
        if (own != null) {
            found.put(own.id(), own.text());
        }
        return pendingByKey(found).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The entries of one key, id to total: those the cluster holds, and this node's as this node knows it (with
     * what it holds back, and under its id also before its first write arrived).
     */
    Map<String, Long> entries(String counter, String key) {
        CounterEntry own = additions.own(counter, key);
        Map<String, Long> totals = new HashMap<>();
        entries.entriesWhoseValueStartsWith(CounterEntry.prefix(counter, key)).forEach((id, text) -> {
            CounterEntry entry = CounterEntry.parse(id, text);
            if (entry != null) {
                totals.put(id, entry.total());
            }
        });
        if (own != null) {
            totals.put(own.id(), own.total());
        }
        return totals;
    }

    /** The pending sum of each key of the counter that has one (not what nodes hold back). */
    Map<String, Long> byKey(String counter) {
        return sumsOf(counter + '\0');
    }

    /** The pending sum of each key whose entries' text starts with {@code prefix}. */
    private Map<String, Long> sumsOf(String prefix) {
        return pendingByKey(entries.entriesWhoseValueStartsWith(prefix));
    }

    /** The pending sum of each key of the entries {@code found} (id to text): their totals minus what is persisted. */
    private Map<String, Long> pendingByKey(Map<String, String> found) {
        Map<String, String> persisted = found.isEmpty() ? Map.of() : persistedTotals.getAll(found.keySet());
        Map<String, Long> sums = new HashMap<>();
        found.forEach((id, text) -> {
            CounterEntry entry = CounterEntry.parse(id, text);
            String done = persisted.get(id);
            if (entry != null) {
                sums.merge(entry.key(), entry.total() - (done == null ? 0 : Long.parseLong(done)), Long::sum);
            }
        });
        sums.values().removeIf(sum -> sum == 0);
        return sums;
    }
}
