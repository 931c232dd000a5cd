package org.layeredcache.layer;

import org.layeredcache.CacheStatistics;
import org.layeredcache.key.CacheKey;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One cache across its layers: reads top to bottom (request, near, cluster, method), publishes loads upwards once
 * their transaction has committed, and invalidates bottom to top. A failing layer is skipped and counted; it never
 * changes a result. Thread-safe.
 *
 * <p>Why a load never publishes a stale value: before the method runs, the load takes the near layer's stamp and
 * claims the key in the cluster layer ({@link Reservation}). An invalidation removes the cluster entry (and with
 * it any claim), then bumps the near layer's stamp and removes the near entry, then tells the other nodes to do
 * the same. A load that overlapped it finds its claim gone and publishes nowhere, and the near layer refuses a
 * value whose stamp is older than the invalidation (see {@link NearLayer}).
 */
final class LayeredCache {

    private final CacheSettings settings;
    private final String name;
    private final String requestNamespace;
    private final NearLayer near;
    private final ClusterLayer cluster;
    private final Transactions transactions;
    private final CacheCounters counters;
    private final Recordings recordings;

    LayeredCache(CacheSettings settings, ClusterLayer cluster, Transactions transactions, Recordings recordings) {
        this.settings = settings;
        this.name = settings.cache();
        this.recordings = recordings;
        this.requestNamespace = "cache:" + settings.cache();
        this.near = settings.nearEnabled() ? new NearLayer(settings.nearMaxSize(), settings.nearTtl()) : null;
        this.cluster = settings.clusterEnabled() ? cluster : null;
        this.transactions = transactions;
        this.counters = new CacheCounters(settings.cache());
    }

    boolean enabled() {
        return settings.enabled();
    }

    boolean usesRequestLayer() {
        return settings.requestEnabled();
    }

    /** Where this cache keeps its entries in a request's layer. */
    String requestNamespace() {
        return requestNamespace;
    }

    /**
     * The stored form of the key's value ({@link NullValue} for nothing), from the first layer that has it, or
     * from {@code method} when none has.
     *
     * @param request the current request's entries of this cache, or {@code null} outside a request
     * @param ttl     the entry's time to live as annotated (configuration may override it)
     * @throws Exception whatever the method throws, unchanged
     */
    Object read(Map<Object, Object> request, CacheKey key, Duration ttl, Callable<Object> method) throws Exception {
        if (recordings.active()) {
            recordings.read(name, key);
        }
        if (request != null) {
            Object stored = request.get(key);
            if (stored != null) {
                counters.requestHit();
                return stored;
            }
        }
        long stamp = 0;
        if (near != null) {
            stamp = near.stamp(key);
            Object stored = near.get(key);
            if (stored != null) {
                counters.nearHit();
                remember(request, key, stored);
                return stored;
            }
        }
        Duration entryTtl = settings.ttlFor(ttl);
        Reservation reservation = null;
        boolean clusterFailed = false;
        if (cluster != null) {
            try {
                Object stored = cluster.get(key);
                if (stored != null) {
                    counters.clusterHit();
                    if (near != null) {
                        near.publish(key, stored, stamp, entryTtl);
                    }
                    remember(request, key, stored);
                    return stored;
                }
                reservation = cluster.reserve(key);
            } catch (RuntimeException e) {
                counters.fault("cluster read", e);
                clusterFailed = true;
            }
        }
        return load(request, key, method, new Load(key, stamp, entryTtl, reservation, clusterFailed));
    }

    /** Runs the method without any layer (the cache is disabled, or the key could not be computed). */
    Object bypass(Callable<Object> method) throws Exception {
        counters.load();
        return NullValue.wrap(method.call());
    }

    private Object load(Map<Object, Object> request, CacheKey key, Callable<Object> method, Load load)
            throws Exception {
        counters.load();
        if (recordings.active()) {
            recordings.miss(name, key);
        }
        Object stored;
        try {
            stored = NullValue.wrap(method.call());
        } catch (Exception | Error failure) {
            release(load);
            throw failure;
        }
        remember(request, key, stored);
        transactions.afterCompletion(() -> publish(load, stored), () -> {
            release(load);
            if (request != null) {
                request.remove(key, stored);
            }
        });
        return stored;
    }

    /** After the load's transaction committed: into the cluster layer if the claim still holds, then near. */
    private void publish(Load load, Object stored) {
        boolean current = true;
        boolean written = false;
        if (cluster != null && !load.clusterFailed()) {
            if (load.reservation() == null) {
                current = false; // another load holds the key; its value will be the one published
            } else {
                try {
                    current = cluster.publish(load.key(), load.reservation(), stored, load.ttl());
                    written = current;
                } catch (RuntimeException e) {
                    counters.fault("cluster put", e);
                    release(load);
                }
            }
        }
        if (near != null && current) {
            written |= near.publish(load.key(), stored, load.stamp(), load.ttl());
        }
        if (written && recordings.active()) {
            recordings.write(name, load.key());
        }
    }

    private void release(Load load) {
        if (cluster != null && load.reservation() != null) {
            try {
                cluster.release(load.key(), load.reservation());
            } catch (RuntimeException e) {
                counters.fault("cluster release", e);
            }
        }
    }

    /** Drops the key from the cluster layer, then from this node's near layer. */
    void invalidate(CacheKey key) {
        counters.invalidation();
        if (recordings.active()) {
            recordings.invalidation(name, key);
        }
        if (cluster != null) {
            try {
                cluster.invalidate(key);
            } catch (RuntimeException e) {
                counters.fault("cluster invalidate", e);
            }
        }
        invalidateNear(key);
    }

    /** Drops every entry from the cluster layer, then from this node's near layer. */
    void invalidateAll() {
        counters.invalidation();
        if (recordings.active()) {
            recordings.invalidation(name, null);
        }
        if (cluster != null) {
            try {
                cluster.invalidateAll();
            } catch (RuntimeException e) {
                counters.fault("cluster invalidate all", e);
            }
        }
        invalidateNear(null);
    }

    /** Drops the key ({@code null}: every key) from this node's near layer only, as another node asked. */
    void invalidateNear(CacheKey key) {
        if (near == null) {
            return;
        }
        if (key == null) {
            near.invalidateAll();
        } else {
            near.invalidate(key);
        }
    }

    void fault(String operation, RuntimeException failure) {
        counters.fault(operation, failure);
    }

    CacheStatistics statistics() {
        return counters.snapshot();
    }

    private static void remember(Map<Object, Object> request, CacheKey key, Object stored) {
        if (request != null) {
            request.put(key, stored);
        }
    }

    /** What a load needs to publish its value later. */
    private record Load(CacheKey key, long stamp, Duration ttl, Reservation reservation, boolean clusterFailed) {
    }
}
