package org.layeredcache.layer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import org.layeredcache.key.CacheKey;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * This node's in-memory copy of one cache: bounded (Caffeine, size and per-entry TTL) and guarded against the
 * stale-set race.
 *
 * <p>The race: a reader misses here, fetches the value from a lower layer, and an invalidation of that key lands
 * before the reader stores what it fetched; the reader would then store a value that is already stale. The guard:
 * every key belongs to one of 64 stripes, each with an invalidation counter. A reader takes the stripe's
 * {@linkplain #stamp(CacheKey) stamp} before it reads the lower layers, and {@linkplain #publish publishes} by
 * storing the value and then re-reading the counter: if any invalidation of the stripe happened since the stamp,
 * it takes its value back out. An invalidation first bumps the counter, then removes the key. Whatever the
 * interleaving, either the reader sees the new counter and removes its value, or the invalidation's removal comes
 * after the reader's store. (A stripe is shared by many keys, so an unrelated invalidation can cost a reader its
 * store; it never costs correctness.) Thread-safe.
 */
final class NearLayer {

    private static final int STRIPES = 64;

    private final Cache<CacheKey, Object> entries;
    private final Policy.VarExpiration<CacheKey, Object> expiration;
    private final AtomicLongArray invalidations = new AtomicLongArray(STRIPES);
    private final Duration maxTtl;

    NearLayer(long maxSize, Duration maxTtl) {
        this.maxTtl = maxTtl;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(Expiry.creating((CacheKey key, Object value) -> maxTtl))
                // Maintenance runs on the calling threads: no unmanaged threads inside the application server.
                .executor(Runnable::run)
                .build();
        this.expiration = entries.policy().expireVariably().orElseThrow();
    }

    /** The stripe's invalidation count, to be taken before reading the layers below. */
    long stamp(CacheKey key) {
        return invalidations.get(stripe(key));
    }

    /** The stored value, or {@code null} if there is none. */
    Object get(CacheKey key) {
        return entries.getIfPresent(key);
    }

    /**
     * Stores {@code value} for at most {@code ttl} (and never longer than the near layer's own TTL), unless the key's
     * stripe was invalidated since {@code stamp}.
     */
    void publish(CacheKey key, Object value, long stamp, Duration ttl) {
        int stripe = stripe(key);
        if (invalidations.get(stripe) != stamp) {
            return;
        }
        expiration.put(key, value, ttl.compareTo(maxTtl) < 0 ? ttl : maxTtl);
        if (invalidations.get(stripe) != stamp) {
            entries.asMap().remove(key, value);
        }
    }

    void invalidate(CacheKey key) {
        invalidations.incrementAndGet(stripe(key));
        entries.invalidate(key);
    }

    void invalidateAll() {
        for (int i = 0; i < STRIPES; i++) {
            invalidations.incrementAndGet(i);
        }
        entries.invalidateAll();
    }

    /** Entries currently held, after pending evictions (an estimate while others write). */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private static int stripe(CacheKey key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
