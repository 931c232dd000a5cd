package org.layeredcache.internal.cache;

import org.layeredcache.CacheTasks;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.key.Entries;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.stats.CacheCounters;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * One bulk preload of one cache's cluster layer: values read one at a time, encoded, and written in chunks with
 * one bulk put each; values over the size limit skipped, values that cannot be encoded counted as failed. Nothing
 * but the current and the previous chunk is held.
 *
 * <p>The values were read from their source at some time before their chunk is written (a database cursor may
 * even read a snapshot from the start of its query), so an invalidation in between would be overwritten by an
 * older value. The cache tells the preload about every invalidation of the cache on this node, its own and the
 * other nodes' ({@link #invalidated}); after each chunk is written, the keys of that chunk and of the one before
 * that were invalidated since the preload started are removed again if they still hold exactly what the preload
 * wrote, and once more {@link #SETTLE} after the last chunk, for messages still on their way. Thread-safe for
 * those notifications; {@link #run} runs on one thread.
 */
final class Preload {

    /** How long after its last chunk a preload still listens for invalidations from other nodes. */
    static final Duration SETTLE = Duration.ofMillis(500);

    private final GuardedCluster cluster;
    private final CacheCounters counters;
    private final int maxValueSize;
    private final int chunkSize;
    private final Duration kept;
    private final Set<CacheKey> invalidated = ConcurrentHashMap.newKeySet();
    private volatile boolean allInvalidated;

    Preload(GuardedCluster cluster, CacheCounters counters, int maxValueSize, int chunkSize, Duration kept) {
        this.cluster = cluster;
        this.counters = counters;
        this.maxValueSize = maxValueSize;
        this.chunkSize = chunkSize;
        this.kept = kept;
    }

    /** The cache invalidated {@code entries} on this node or another. */
    void invalidated(Entries entries) {
        if (entries instanceof Entries.One one) {
            invalidated.add(one.key());
        } else {
            allInvalidated = true;
        }
    }

    /**
     * Writes every value under its key ({@code keyOf}), counting each value on {@code progress}: a step once its
     * chunk is written, skipped when too large, failed when it cannot be encoded or its chunk not written.
     *
     * @throws CancellationException when the task was cancelled (after the current chunk)
     */
    void run(Iterator<?> values, Function<Object, CacheKey> keyOf, CacheTasks.Progress progress) {
        Map<CacheKey, byte[]> chunk = new LinkedHashMap<>();
        Map<CacheKey, byte[]> previous = Map.of();
        while (values.hasNext()) {
            Object value = values.next();
            if (value == null) {
                progress.skipped();
                continue;
            }
            CacheKey key = keyOf.apply(value);
            byte[] entry = cluster.encode(key, value);
            if (entry == null) {
                progress.failed();
            } else if (entry.length > maxValueSize) {
                counters.oversized(key, entry.length, maxValueSize);
                progress.skipped();
            } else {
                chunk.put(key, entry);
            }
            if (chunk.size() >= chunkSize) {
                write(chunk, previous, progress);
                previous = chunk;
                chunk = new LinkedHashMap<>();
            }
        }
        if (!chunk.isEmpty()) {
            write(chunk, previous, progress);
            previous = chunk;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SETTLE.toMillis()));
        undoInvalidated(previous);
    }

    private void write(Map<CacheKey, byte[]> chunk, Map<CacheKey, byte[]> previous, CacheTasks.Progress progress) {
        boolean written = cluster.putAll(chunk, kept);
        if (written) {
            counters.preloadChunk(chunk.size());
            undoInvalidated(chunk);
            undoInvalidated(previous);
        }
        for (int i = 0; i < chunk.size(); i++) {
            if (written) {
                progress.step();
            } else {
                progress.failed();
            }
        }
    }

    /** Removes what the preload wrote under keys invalidated since it started. */
    private void undoInvalidated(Map<CacheKey, byte[]> chunk) {
        if (chunk.isEmpty() || !allInvalidated && invalidated.isEmpty()) {
            return;
        }
        Map<CacheKey, byte[]> overtaken = new LinkedHashMap<>();
        chunk.forEach((key, entry) -> {
            if (allInvalidated || invalidated.contains(key)) {
                overtaken.put(key, entry);
            }
        });
        cluster.removeExactly(overtaken);
    }

    /** The preloads of one cache running on this node, told about every invalidation of it. Thread-safe. */
    static final class Running {
        private final List<Preload> preloads = new CopyOnWriteArrayList<>();

        /** The cache invalidated {@code entries} on this node or another. */
        void invalidated(Entries entries) {
            preloads.forEach(preload -> preload.invalidated(entries));
        }

        /** Runs {@code preload} to its end, telling it about invalidations meanwhile. */
        void run(Preload preload, Iterator<?> values, Function<Object, CacheKey> keyOf, CacheTasks.Progress progress) {
            preloads.add(preload);
            try {
                preload.run(values, keyOf, progress);
            } finally {
                preloads.remove(preload);
            }
        }
    }
}
