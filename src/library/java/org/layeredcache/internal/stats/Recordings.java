package org.layeredcache.internal.stats;

import org.layeredcache.CacheRecording;
import org.layeredcache.internal.key.CacheKey;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The open {@link CacheRecording}s of this node, and the one check the layers make on every call: whether any is
 * open (a volatile read). Thread-safe.
 */
public final class Recordings {

    private volatile Recording[] open = new Recording[0];

    public boolean active() {
        return open.length > 0;
    }

    public CacheRecording start() {
        Recording recording = new Recording();
        synchronized (this) {
            Recording[] more = Arrays.copyOf(open, open.length + 1);
            more[open.length] = recording;
            open = more;
        }
        return recording;
    }

    public void read(String cache, CacheKey key) {
        record(Kind.READ, cache, key);
    }

    public void miss(String cache, CacheKey key) {
        record(Kind.MISS, cache, key);
    }

    public void write(String cache, CacheKey key) {
        record(Kind.WRITE, cache, key);
    }

    public void invalidation(String cache, CacheKey key) {
        record(Kind.INVALIDATION, cache, key);
    }

    /** Recorded as {@code *}. */
    public void invalidationOfAll(String cache) {
        record(Kind.INVALIDATION, cache, "*");
    }

    /** Tags invalidated on this node, after the commit. */
    public void tagInvalidations(java.util.Collection<String> tags) {
        if (open.length > 0) {
            tags.forEach(tag -> record(Kind.TAG_INVALIDATION, "", tag));
        }
    }

    private void record(Kind kind, String cache, CacheKey key) {
        if (open.length > 0) {
            record(kind, cache, key.toString());
        }
    }

    private void record(Kind kind, String cache, String text) {
        Recording[] now = open;
        for (Recording recording : now) {
            recording.add(kind, cache, text);
        }
    }

    private synchronized void stop(Recording recording) {
        open = Arrays.stream(open).filter(r -> r != recording).toArray(Recording[]::new);
    }

    private enum Kind { READ, MISS, WRITE, INVALIDATION, TAG_INVALIDATION }

    private final class Recording implements CacheRecording {

        private final Map<String, List<String>> events = new ConcurrentHashMap<>();

        void add(Kind kind, String cache, String key) {
            events.computeIfAbsent(kind + ":" + cache, k -> new CopyOnWriteArrayList<>()).add(key);
        }

        private List<String> of(Kind kind, String cache) {
            return List.copyOf(events.getOrDefault(kind + ":" + cache, List.of()));
        }

        @Override
        public List<String> reads(String cache) {
            return of(Kind.READ, cache);
        }

        @Override
        public List<String> misses(String cache) {
            return of(Kind.MISS, cache);
        }

        @Override
        public List<String> writes(String cache) {
            return of(Kind.WRITE, cache);
        }

        @Override
        public List<String> invalidations(String cache) {
            return of(Kind.INVALIDATION, cache);
        }

        @Override
        public List<String> tagInvalidations() {
            return of(Kind.TAG_INVALIDATION, "");
        }

        @Override
        public void close() {
            stop(this);
        }
    }
}
