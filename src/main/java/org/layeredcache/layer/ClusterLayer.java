package org.layeredcache.layer;

import com.hazelcast.cache.ICache;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;
import org.layeredcache.key.CacheKey;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One cache in the cluster layer: a JCache cache of the server's {@link CacheManager}, used through Hazelcast's
 * {@link ICache} for per-entry expiry. An entry holds a value (or {@link NullValue}), or a load's
 * {@link Reservation}; readers treat a reservation as a miss.
 *
 * <p>The cache is created on first use, with entry-count eviction. Every method may throw whatever the cluster
 * throws; the caller turns that into a counted fault. Thread-safe.
 */
final class ClusterLayer {

    private final String name;
    private final CacheManager manager;
    private final int maxSize;
    private final ExpiryPolicy leasePolicy;
    private final Map<Duration, ExpiryPolicy> ttlPolicies = new ConcurrentHashMap<>();
    private volatile ICache<CacheKey, Object> cache;

    ClusterLayer(String name, CacheManager manager, int maxSize, Duration loadLease) {
        this.name = name;
        this.manager = manager;
        this.maxSize = maxSize;
        this.leasePolicy = new CreatedExpiryPolicy(toJCache(loadLease));
    }

    /** The value stored for the key, or {@code null} when there is none or a load holds the key. */
    Object get(CacheKey key) {
        Object stored = cache().get(key);
        return stored instanceof Reservation ? null : stored;
    }

    /** Claims the key for a load; {@code null} when it is taken (by a value or another load). */
    Reservation reserve(CacheKey key) {
        Reservation reservation = Reservation.create();
        return cache().putIfAbsent(key, reservation, leasePolicy) ? reservation : null;
    }

    /**
     * Replaces the load's claim by its value, to live {@code ttl}.
     *
     * @return whether the claim was still there, i.e. no invalidation (or lease expiry) came in between
     */
    boolean publish(CacheKey key, Reservation reservation, Object value, Duration ttl) {
        ExpiryPolicy policy = ttlPolicies.computeIfAbsent(ttl, t -> new ModifiedExpiryPolicy(toJCache(t)));
        return cache().replace(key, reservation, value, policy);
    }

    /** Gives the claim up (the load failed or its transaction rolled back). */
    void release(CacheKey key, Reservation reservation) {
        cache().remove(key, reservation);
    }

    void invalidate(CacheKey key) {
        cache().remove(key);
    }

    void invalidateAll() {
        cache().clear();
    }

    private ICache<CacheKey, Object> cache() {
        ICache<CacheKey, Object> current = cache;
        if (current == null || current.isDestroyed()) {
            synchronized (this) {
                current = cache;
                if (current == null || current.isDestroyed()) {
                    current = obtain();
                    cache = current;
                }
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private ICache<CacheKey, Object> obtain() {
        Cache<CacheKey, Object> existing = manager.getCache(name);
        if (existing == null) {
            CacheConfig<CacheKey, Object> config = new CacheConfig<>();
            config.setEvictionConfig(new EvictionConfig()
                    .setEvictionPolicy(EvictionPolicy.LRU)
                    .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                    .setSize(maxSize));
            try {
                existing = manager.createCache(name, config);
            } catch (CacheException createdMeanwhile) {
                existing = manager.getCache(name);
                if (existing == null) {
                    throw createdMeanwhile;
                }
            }
        }
        return existing.unwrap(ICache.class);
    }

    private static javax.cache.expiry.Duration toJCache(Duration duration) {
        return new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, Math.max(1, duration.toMillis()));
    }
}
