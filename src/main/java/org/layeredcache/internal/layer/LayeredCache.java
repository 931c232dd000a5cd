package org.layeredcache.internal.layer;

import org.layeredcache.CacheStatistics;
import org.layeredcache.internal.key.CacheKey;

import java.time.Duration;
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
 *
 * <p>When the cluster fails, {@link GuardedCluster} keeps this cache off it for a while (reads use the near layer
 * and the method) and keeps the invalidations that could not reach it until it returns.
 */
final class LayeredCache {

    private final CacheSettings settings;
    private final String name;
    private final String requestNamespace;
    private final NearLayer near;
    private final GuardedCluster cluster;
    private final ServerCluster server;
    private final Transactions transactions;
    private final CacheCounters counters;
    private final Recordings recordings;

    /**
     * @param layer  the cache's cluster layer, or {@code null} when the node has none
     * @param server the server's parts: transactions, and the messages to and from the other nodes
     */
    LayeredCache(CacheSettings settings, ClusterLayer layer, ServerCluster server, Recordings recordings) {
        this.settings = settings;
        this.name = settings.cache();
        this.requestNamespace = "cache:" + name;
        this.near = settings.nearEnabled() ? new NearLayer(settings.nearMaxSize(), settings.nearTtl()) : null;
        this.server = server;
        this.transactions = server.transactions();
        this.counters = new CacheCounters(name);
        this.recordings = recordings;
        this.cluster = settings.clusterEnabled() && layer != null
                ? new GuardedCluster(layer, new ClusterHealth(settings.clusterRetryAfter()), counters, new Messages())
                : null;
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
     * @param request the current request's entries of this cache ({@link RequestEntries#NONE} outside one)
     * @param ttl     the entry's time to live as annotated (configuration may override it)
     * @throws Exception whatever the method throws, unchanged
     */
    Object read(RequestEntries request, CacheKey key, Duration ttl, Callable<Object> method) throws Exception {
        if (recordings.active()) {
            recordings.read(name, key);
        }
        // 1. The current request.
        Object stored = request.get(key);
        if (stored != null) {
            counters.requestHit();
            return stored;
        }
        // 2. This node's near layer (once it hears other nodes' invalidations); the stamp guards what this read
        //    publishes there later.
        NearLayer near = server.hearsInvalidations() ? this.near : null;
        long stamp = 0;
        if (near != null) {
            stamp = near.stamp(key);
            stored = near.get(key);
            if (stored != null) {
                counters.nearHit();
                request.remember(key, stored);
                return stored;
            }
        }
        // 3. The cluster layer: a hit, or a claim on the key for the load below.
        Duration entryTtl = settings.ttlFor(ttl);
        Reservation reservation = null;
        boolean withoutCluster = true;
        if (cluster != null) {
            GuardedCluster.Reached<Object> found = cluster.get(key);
            if (found.reached() && found.value() != null) {
                counters.clusterHit();
                if (near != null) {
                    near.publish(key, found.value(), stamp, entryTtl);
                }
                request.remember(key, found.value());
                return found.value();
            }
            if (found.reached()) {
                GuardedCluster.Reached<Reservation> claim = cluster.reserve(key);
                withoutCluster = !claim.reached();
                reservation = claim.value();
            }
        }
        // 4. The method.
        return load(request, key, method, new Load(key, near != null, stamp, entryTtl, reservation,
                withoutCluster));
    }

    /** Runs the method without any layer: the cache is disabled, or the call's key could not be computed. */
    Object uncached(Callable<Object> method) throws Exception {
        counters.load();
        return NullValue.wrap(method.call());
    }

    private Object load(RequestEntries request, CacheKey key, Callable<Object> method, Load load) throws Exception {
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
        request.remember(key, stored);
        transactions.afterCompletion(() -> publish(load, stored), () -> {
            release(load);
            request.forget(key, stored);
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
            } else {
                GuardedCluster.Reached<Boolean> published = cluster.publish(load.key(), load.reservation(), stored,
                        load.ttl());
                if (!published.reached()) {
                    release(load);
                } else if (published.value()) {
                    written = true;
                } else {
                    current = false;
                    cluster.removeLeftClaim(load.key(), load.reservation());
                }
            }
        }
        if (load.withNear() && current) {
            written |= near.publish(load.key(), stored, load.stamp(), load.ttl());
        }
        if (written && recordings.active()) {
            recordings.write(name, load.key());
        }
    }

    private void release(Load load) {
        if (load.reservation() != null && !load.withoutCluster()) {
            cluster.release(load.key(), load.reservation());
        }
    }

    /**
     * Drops the key: from the cluster layer, then from this node's near layer, then from the other nodes' near
     * layers. What cannot reach the cluster now is kept for later, and its message sent then.
     */
    void invalidate(CacheKey key) {
        counters.invalidation();
        if (recordings.active()) {
            recordings.invalidation(name, key);
        }
        boolean reachedCluster = cluster == null || cluster.invalidate(key);
        invalidateNear(key);
        if (reachedCluster) {
            tellOtherNodes(key);
        }
    }

    /** Drops every entry, in the same order as {@link #invalidate}. */
    void invalidateAll() {
        counters.invalidation();
        if (recordings.active()) {
            recordings.invalidationOfAll(name);
        }
        boolean reachedCluster = cluster == null || cluster.invalidateAll();
        invalidateNearAll();
        if (reachedCluster) {
            tellOtherNodesAll();
        }
    }

    /** Drops the key from this node's near layer only, as another node asked. */
    void invalidateNear(CacheKey key) {
        if (near != null) {
            near.invalidate(key);
        }
    }

    /** Drops every entry from this node's near layer only, as another node asked. */
    void invalidateNearAll() {
        if (near != null) {
            near.invalidateAll();
        }
    }

    void fault(String operation, Exception failure) {
        counters.fault(operation, failure);
    }

    CacheStatistics statistics() {
        return counters.snapshot();
    }

    private void tellOtherNodes(CacheKey key) {
        try {
            server.tellOtherNodes(name, key);
        } catch (RuntimeException e) {
            counters.fault("invalidation message", e);
        }
    }

    private void tellOtherNodesAll() {
        tellOtherNodes(null);
    }

    /** Sends the messages of invalidations carried out late, after an outage. */
    private final class Messages implements GuardedCluster.Messages {
        @Override
        public void invalidated(CacheKey key) {
            tellOtherNodes(key);
        }

        @Override
        public void invalidatedAll() {
            tellOtherNodesAll();
        }
    }

    /** What a load needs to publish its value later. */
    private record Load(CacheKey key, boolean withNear, long stamp, Duration ttl, Reservation reservation,
                        boolean withoutCluster) {
    }
}
