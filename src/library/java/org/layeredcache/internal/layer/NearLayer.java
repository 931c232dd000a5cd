package org.layeredcache.internal.layer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.layeredcache.internal.key.CacheKey;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * This node's in-memory copy of one cache: bounded (Caffeine, size and per-entry TTL) and guarded against the
 * stale-set race.
 *
 * <p>The race: a reader misses here, fetches the value from a lower layer, and an invalidation of that key lands
 * before the reader stores what it fetched; the reader would then store a value that is already stale. The guard:
 * every key belongs to one of 64 stripes, each with an invalidation counter. A reader takes the stripe's
 * {@linkplain #stamp(CacheKey) stamp} before it reads the lower layers. An invalidation first bumps the counter,
 * then removes the key. A reader {@linkplain #publish publishes} by checking the counter and storing in one atomic
 * step on the key's map entry ({@code compute}), which the invalidation's removal of the same key cannot
 * interleave with: either the store comes first and the removal takes it out, or the removal comes first, and
 * then the counter was already bumped and the store is refused. No reader ever sees the refused value, not even
 * for an instant. (A stripe is shared by many keys, so an unrelated invalidation can cost a reader its store; it
 * never costs correctness.)
 *
 * <p>Bounds: at most {@code maxSize} entries and about {@code maxBytes} bytes, where an entry's bytes are its
 * value's serialized size when known (the cache has a cluster layer). Caffeine bounds by one weight only, so an
 * entry weighs its bytes but at least {@code maxBytes / maxSize}: neither bound can be passed. Thread-safe.
 */
public class NearLayer {

    private static final int STRIPES = 64;
    /** A copy is due for renewal in the last {@code 1 / RENEWED_IN_LAST} of its life. */
    private static final int RENEWED_IN_LAST = 5;
    private static final NearLayer ABSENT = new Absent();

    private final Cache<CacheKey, Entry> entries;
    private final AtomicLongArray invalidations = new AtomicLongArray(STRIPES);
    private final long maxTtlNanos;
    private final int minWeight;

    /** The near layer of a cache that has none (switched off), or may not use it now: it holds nothing. */
    public static NearLayer absent() {
        return ABSENT;
    }

    private NearLayer() {
        this.entries = null;
        this.maxTtlNanos = 0;
        this.minWeight = 1;
    }

    public NearLayer(long maxSize, long maxBytes, Duration maxTtl) {
        this.maxTtlNanos = maxTtl.toNanos();
        this.minWeight = (int) Math.min(Integer.MAX_VALUE, Math.max(1, maxBytes / maxSize));
        this.entries = Caffeine.newBuilder()
                .maximumWeight(Math.max(maxBytes, maxSize))
                .weigher((CacheKey key, Entry entry) -> entry.weight())
                .expireAfter(new UntilDeadline())
                // Maintenance runs on the calling threads: no unmanaged threads inside the application server.
                .executor(Runnable::run)
                .build();
    }

    /** The stripe's invalidation count, to be taken before reading the layers below. */
    public long stamp(CacheKey key) {
        return invalidations.get(stripe(key));
    }

    /** The stored value, or {@code null} if there is none. */
    Object get(CacheKey key) {
        Entry entry = entries.getIfPresent(key);
        return entry == null ? null : entry.value();
    }

    /** The stored entry (its value and when it was written), or {@code null} if there is none. */
    public Entry entry(CacheKey key) {
        return entries.getIfPresent(key);
    }

    /** The stored entries of those keys that have one, asked at once. */
    public Map<CacheKey, Entry> entries(Iterable<CacheKey> keys) {
        return entries.getAllPresent(keys);
    }

    /**
     * Stores {@code value} for at most {@code ttl} (and never longer than the near layer's own TTL), unless the key's
     * stripe was invalidated since {@code stamp}.
     *
     * @param bytes     the value's serialized size, or 0 when unknown
     * @param writtenAt when the value was loaded (epoch milliseconds), for refresh-ahead
     * @return whether the value was stored
     */
    public boolean publish(CacheKey key, Object value, int bytes, long writtenAt, long stamp, Duration ttl) {
        int stripe = stripe(key);
        if (invalidations.get(stripe) != stamp) {
            return false;
        }
        long life = Math.min(ttl.toNanos(), maxTtlNanos);
        long deadline = System.nanoTime() + life;
        Entry entry = new Entry(value, deadline, deadline - life / RENEWED_IN_LAST, Math.max(bytes, minWeight), bytes,
                writtenAt);
        return entries.asMap().compute(key, (k, current) -> invalidations.get(stripe) == stamp ? entry : current)
                == entry;
    }

    public void invalidate(CacheKey key) {
        invalidations.incrementAndGet(stripe(key));
        entries.invalidate(key);
    }

    public void invalidateAll() {
        for (int i = 0; i < STRIPES; i++) {
            invalidations.incrementAndGet(i);
        }
        entries.invalidateAll();
    }

    /** Entries currently held, after pending evictions (an estimate while others write). */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /** The weight currently held: about the bytes of the entries, each counted at least at the minimum weight. */
    public long weight() {
        entries.cleanUp();
        return entries.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
    }

    /** Whether this is a near layer that holds entries (not {@link #absent()}). */
    public boolean present() {
        return true;
    }

    private static int stripe(CacheKey key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    /**
     * A stored value, the {@link System#nanoTime()} after which it is gone, the one from which it is due for
     * renewal (the last fifth of its life), its weight, its serialized size (0 when unknown), and when it was
     * loaded (epoch milliseconds).
     */
    public record Entry(Object value, long deadline, long renewAt, int weight, int bytes, long writtenAt) {

        /**
         * Whether this copy was read from the cluster entry written at {@code writtenAt} with {@code bytes} bytes,
         * so that it holds what that entry holds. Two writes of one key in the same millisecond with the same size
         * could be taken for one; a write that changes a value comes with an invalidation, which refuses a renewal
         * made across it, so what this can confuse are two loads of the same data.
         */
        public boolean sameWrite(long writtenAt, int bytes) {
            return bytes > 0 && this.bytes == bytes && this.writtenAt == writtenAt;
        }

        /** Whether the copy is in the last fifth of its life, where a read renews it ({@code near.renew}). */
        public boolean dueForRenewal() {
            return System.nanoTime() - renewAt >= 0;
        }
    }

    /** Expires each entry at its own deadline, which a refused publish cannot move. */
    private static final class UntilDeadline implements Expiry<CacheKey, Entry> {

        @Override
        public long expireAfterCreate(CacheKey key, Entry entry, long currentTime) {
            return Math.max(0, entry.deadline() - currentTime);
        }

        @Override
        public long expireAfterUpdate(CacheKey key, Entry entry, long currentTime, long currentDuration) {
            return Math.max(0, entry.deadline() - currentTime);
        }

        @Override
        public long expireAfterRead(CacheKey key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    /** Holds nothing: every key is absent, nothing is stored, its stamp never moves. */
    private static final class Absent extends NearLayer {
        @Override
        public long stamp(CacheKey key) {
            return 0;
        }

        @Override
        public Object get(CacheKey key) {
            return null;
        }

        @Override
        public Entry entry(CacheKey key) {
            return null;
        }

        @Override
        public Map<CacheKey, Entry> entries(Iterable<CacheKey> keys) {
            return Map.of();
        }

        @Override
        public boolean publish(CacheKey key, Object value, int bytes, long writtenAt, long stamp, Duration ttl) {
            return false;
        }

        @Override
        public void invalidate(CacheKey key) {
        }

        @Override
        public void invalidateAll() {
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public long weight() {
            return 0;
        }

        @Override
        public boolean present() {
            return false;
        }
    }
}
