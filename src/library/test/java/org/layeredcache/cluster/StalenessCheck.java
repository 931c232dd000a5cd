package org.layeredcache.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Checks a log of operations on versioned counters against the consistency the README states, knowing nothing of
 * the cache: a read is stale when a write of the same key that had answered before the read started had produced
 * a newer version; its staleness is how long before the read's start the first such write had answered. A stale
 * read on the node whose write it missed breaks the rule "nothing stale on the writing node"; on another node, it
 * breaks the rule when its staleness exceeds the bound of its situation. Writes are lost when two answered the
 * same version of one key, or when the version the database holds at the end is below one a write answered.
 */
final class StalenessCheck {

    /** One operation: a read (the version it saw) or a write (the version it produced), in nanoTime. */
    record Op(long key, int node, boolean write, long started, long ended, long version, String situation) {
    }

    /** What the check found for one situation. */
    record Situation(String name, long reads, long stale, long beyondBound, long onWritingNode, long p50Millis,
                     long p99Millis, long maxMillis) {
    }

    private final List<Op> reads = new ArrayList<>();
    private final Map<Long, List<Op>> writesByKey = new HashMap<>();

    StalenessCheck(Collection<Op> ops) {
        for (Op op : ops) {
            if (op.write()) {
                writesByKey.computeIfAbsent(op.key(), key -> new ArrayList<>()).add(op);
            } else {
                reads.add(op);
            }
        }
        writesByKey.values().forEach(writes -> writes.sort((a, b) -> Long.compare(a.ended(), b.ended())));
    }

    /** Per situation, with the bound (nanoseconds) each situation allows on a node other than the writing one. */
    List<Situation> situations(ToLongFunction<String> boundNanos) {
        Map<String, List<Long>> staleness = new TreeMap<>();
        Map<String, long[]> counts = new TreeMap<>();            // reads, stale, beyond bound, on the writing node
        for (Op read : reads) {
            long[] count = counts.computeIfAbsent(read.situation(), s -> new long[4]);
            staleness.computeIfAbsent(read.situation(), s -> new ArrayList<>());
            count[0]++;
            Op missed = firstNewerAnsweredBefore(read);
            if (missed == null) {
                continue;
            }
            long stale = read.started() - missed.ended();
            count[1]++;
            staleness.get(read.situation()).add(stale);
            if (sameNodeMissed(read)) {
                count[3]++;
            } else if (stale > boundNanos.applyAsLong(read.situation())) {
                count[2]++;
            }
        }
        List<Situation> found = new ArrayList<>();
        counts.forEach((name, count) -> {
            List<Long> values = staleness.get(name);
            values.sort(Long::compare);
            found.add(new Situation(name, count[0], count[1], count[2], count[3], millis(percentile(values, 50)),
                    millis(percentile(values, 99)), millis(values.isEmpty() ? 0 : values.get(values.size() - 1))));
        });
        return found;
    }

    /** The earliest-answering write of the read's key, answered before the read started, newer than what it saw. */
    private Op firstNewerAnsweredBefore(Op read) {
        for (Op write : writesByKey.getOrDefault(read.key(), List.of())) {
            if (write.ended() >= read.started()) {
                return null;                                 // sorted by answer: none later qualifies
            }
            if (write.version() > read.version()) {
                return write;
            }
        }
        return null;
    }

    /** Whether a write on the read's own node, answered before the read started, was newer than what it saw. */
    private boolean sameNodeMissed(Op read) {
        for (Op write : writesByKey.getOrDefault(read.key(), List.of())) {
            if (write.ended() >= read.started()) {
                return false;
            }
            if (write.node() == read.node() && write.version() > read.version()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes lost: per key, versions answered twice, and versions answered above what the database holds at the
     * end ({@code finalVersions}).
     */
    long lostWrites(Map<Long, Long> finalVersions) {
        long lost = 0;
        for (Map.Entry<Long, List<Op>> key : writesByKey.entrySet()) {
            long held = finalVersions.getOrDefault(key.getKey(), 0L);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (Op write : key.getValue()) {
                if (!seen.add(write.version()) || write.version() > held) {
                    lost++;
                }
            }
        }
        return lost;
    }

    private static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
