package org.layeredcache.internal.layer;

import org.layeredcache.CacheStatistics;
import org.layeredcache.internal.key.CacheKey;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

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
 *
 * <p>When the cluster fails: each operation waits at most the cluster timeout, and the {@link ClusterHealth}
 * circuit then keeps this cache off the cluster for a while (reads use the near layer and the method).
 * Invalidations that could not reach the cluster are kept and carried out, with their messages to the other
 * nodes, before the cluster is read again; more than {@value #MAX_PENDING} become one invalidation of the whole
 * cache. So caching recovers by itself, and nothing dropped during the outage comes back from the cluster.
 */
final class LayeredCache {

    static final int MAX_PENDING = 10_000;

    private final CacheSettings settings;
    private final String name;
    private final String requestNamespace;
    private final NearLayer near;
    private final ClusterLayer cluster;
    private final ClusterHealth health;
    private final InvalidationBus bus;
    private final Transactions transactions;
    private final CacheCounters counters;
    private final Recordings recordings;
    private final Set<CacheKey> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean pendingAll;

    LayeredCache(CacheSettings settings, ClusterLayer cluster, InvalidationBus bus, Transactions transactions,
                 Recordings recordings) {
        this.settings = settings;
        this.name = settings.cache();
        this.requestNamespace = "cache:" + name;
        this.near = settings.nearEnabled() ? new NearLayer(settings.nearMaxSize(), settings.nearTtl()) : null;
        this.cluster = settings.clusterEnabled() ? cluster : null;
        this.health = new ClusterHealth(settings.clusterRetryAfter());
        this.bus = bus;
        this.transactions = transactions;
        this.counters = new CacheCounters(name);
        this.recordings = recordings;
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
        // 1. The current request.
        if (request != null) {
            Object stored = request.get(key);
            if (stored != null) {
                counters.requestHit();
                return stored;
            }
        }
        // 2. This node's near layer; the stamp guards what this read publishes there later.
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
        // 3. The cluster layer: a hit, or a claim on the key for the load below.
        Duration entryTtl = settings.ttlFor(ttl);
        Reservation reservation = null;
        boolean withoutCluster = cluster == null;
        if (clusterUsable()) {
            try {
                Object stored = cluster.get(key);
                if (stored != null) {
                    health.succeeded();
                    counters.clusterHit();
                    if (near != null) {
                        near.publish(key, stored, stamp, entryTtl);
                    }
                    remember(request, key, stored);
                    return stored;
                }
                reservation = cluster.reserve(key);
                health.succeeded();
            } catch (RuntimeException e) {
                clusterFault("cluster read", e);
                dropIfUnreadable(key, e);
                withoutCluster = true;
            }
        } else {
            withoutCluster = true;
        }
        // 4. The method.
        return load(request, key, method, new Load(key, stamp, entryTtl, reservation, withoutCluster));
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
        if (!load.withoutCluster()) {
            if (load.reservation() == null) {
                current = false; // another load holds the key; its value will be the one published
            } else if (clusterUsable()) {
                try {
                    current = cluster.publish(load.key(), load.reservation(), stored, load.ttl());
                    health.succeeded();
                    written = current;
                } catch (RuntimeException e) {
                    clusterFault("cluster put", e);
                    release(load);
                }
                if (!current) {
                    checkClaimGone(load);
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

    /** An entry that no longer deserializes (its class changed, say) would fail every read until its TTL. */
    private void dropIfUnreadable(CacheKey key, RuntimeException failure) {
        if (ClusterHealth.isClusterFailure(failure)) {
            return;
        }
        try {
            cluster.invalidate(key);
        } catch (RuntimeException e) {
            counters.fault("dropping an unreadable cluster entry", e);
        }
    }

    private void release(Load load) {
        if (load.reservation() != null && !load.withoutCluster() && clusterUsable()) {
            try {
                cluster.release(load.key(), load.reservation());
                health.succeeded();
            } catch (RuntimeException e) {
                clusterFault("cluster release", e); // the claim expires by itself after the load lease
            }
        }
    }

    /**
     * After a publication was refused: normally an invalidation (or the end of the load lease) removed the claim
     * meanwhile. A claim that is still there was neither published nor released, and would make every node load
     * the key until the lease ends: it is removed, counted and logged as a fault.
     */
    private void checkClaimGone(Load load) {
        try {
            if (cluster.release(load.key(), load.reservation())) {
                counters.fault("publishing a load", new IllegalStateException("the cluster refused to replace the"
                        + " load's own claim on key " + load.key() + " by its value; the claim was removed"));
            }
        } catch (RuntimeException e) {
            clusterFault("cluster release", e);
        }
    }

    /**
     * Drops the key ({@code null}: every entry): from the cluster layer, then from this node's near layer, then
     * from the other nodes' near layers. What cannot reach the cluster now is kept for later.
     */
    void invalidate(CacheKey key) {
        counters.invalidation();
        if (recordings.active()) {
            recordings.invalidation(name, key);
        }
        boolean reachedCluster = false;
        if (clusterUsable()) {
            try {
                removeFromCluster(key);
                health.succeeded();
                reachedCluster = true;
            } catch (RuntimeException e) {
                clusterFault(key == null ? "cluster invalidate all" : "cluster invalidate", e);
            }
        }
        if (cluster != null && !reachedCluster) {
            keepForLater(key);
        }
        invalidateNear(key);
        if (reachedCluster || cluster == null) {
            tellOtherNodes(key);
        }
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

    void fault(String operation, Exception failure) {
        counters.fault(operation, failure);
    }

    CacheStatistics statistics() {
        return counters.snapshot();
    }

    /** Whether the cluster layer may be used now; first carries out the invalidations kept from an outage. */
    private boolean clusterUsable() {
        if (cluster == null || !health.usable()) {
            return false;
        }
        return (!pendingAll && pending.isEmpty()) || replayKeptInvalidations();
    }

    private synchronized boolean replayKeptInvalidations() {
        try {
            if (pendingAll) {
                removeFromCluster(null);
                tellOtherNodes(null);
                pending.clear();
                pendingAll = false;
            }
            for (Iterator<CacheKey> keys = pending.iterator(); keys.hasNext(); ) {
                CacheKey key = keys.next();
                removeFromCluster(key);
                tellOtherNodes(key);
                keys.remove();
            }
            health.succeeded();
            return true;
        } catch (RuntimeException e) {
            clusterFault("replaying invalidations kept during a cluster outage", e);
            return false;
        }
    }

    private void keepForLater(CacheKey key) {
        if (key == null || pending.size() >= MAX_PENDING) {
            pendingAll = true;
            pending.clear();
        } else if (!pendingAll) {
            pending.add(key);
        }
    }

    private void removeFromCluster(CacheKey key) {
        if (key == null) {
            cluster.invalidateAll();
        } else {
            cluster.invalidate(key);
        }
    }

    private void tellOtherNodes(CacheKey key) {
        if (bus == null) {
            return;
        }
        try {
            bus.publish(name, key);
        } catch (RuntimeException e) {
            counters.fault("invalidation message", e);
        }
    }

    private void clusterFault(String operation, RuntimeException failure) {
        counters.fault(operation, failure);
        health.failed(failure);
    }

    private static void remember(Map<Object, Object> request, CacheKey key, Object stored) {
        if (request != null) {
            request.put(key, stored);
        }
    }

    /** What a load needs to publish its value later. */
    private record Load(CacheKey key, long stamp, Duration ttl, Reservation reservation, boolean withoutCluster) {
    }
}
