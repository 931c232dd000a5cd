package org.layeredcache.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.layeredcache.CacheStatistics;
import org.layeredcache.internal.admin.KeyPresence;
import org.layeredcache.internal.cluster.Reservation;
import org.layeredcache.internal.cluster.ServerCluster;
import org.layeredcache.internal.config.CacheSettings;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterHealth;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.NearLayer;
import org.layeredcache.internal.layer.NullValue;
import org.layeredcache.internal.layer.RequestEntries;
import org.layeredcache.internal.layer.Transactions;
import org.layeredcache.internal.load.BulkLoader;
import org.layeredcache.internal.load.Publication;
import org.layeredcache.internal.load.RefreshAhead;
import org.layeredcache.internal.load.SingleFlight;
import org.layeredcache.internal.stats.CacheCounters;
import org.layeredcache.internal.stats.CacheHealth;
import org.layeredcache.internal.stats.CacheObserver;
import org.layeredcache.internal.stats.RecentFigures;
import org.layeredcache.internal.stats.Recordings;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

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
 *
 * <p>Under load: concurrent misses of a key on this node share one load ({@link SingleFlight}); a miss that finds
 * another node's claim waits for that load's value in the cluster, both bounded by {@code load.wait}. Entries
 * older than {@code refreshAfter} are reloaded in the background ({@link RefreshAhead}), one node at a time,
 * publishing only over exactly the entry they found; entries past their TTL stay in the cluster for
 * {@code staleIfError} to stand in for a failed load.
 *
 * <p>Reads of many keys at once ({@code @CachedRead(each)}) are {@link ManyKeysRead}'s; the rules by which a load
 * publishes its value, shared by both reads, are {@link Publication}'s; a bulk preload is {@link Preload}'s.
 */
public final class LayeredCache {

    private final CacheSettings settings;
    private final String name;
    private final String requestNamespace;
    private final NearLayer near;
    private final GuardedCluster cluster;
    private final ServerCluster server;
    private final Transactions transactions;
    private final CacheCounters counters;
    private final Recordings recordings;
    private final SingleFlight flights = new SingleFlight();
    /** The preloads running on this node, told about every invalidation. */
    private final java.util.List<Preload> preloads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long loadWaitNanos;
    private final RefreshAhead refreshAhead;
    private final Publication publication;
    private final ManyKeysRead manyKeys;
    /** Other loads' claims this node stopped waiting for: they are not waited for again (their node may be gone). */
    private final Cache<CacheKey, Reservation> abandonedClaims;
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * @param layer  the cache's cluster layer, or {@code null} when the node has none
     * @param server the server's parts: transactions, and the messages to and from the other nodes
     */
    LayeredCache(CacheSettings settings, ClusterLayer layer, ServerCluster server, Transactions transactions,
                 java.util.concurrent.Executor executor, Recordings recordings, Supplier<CacheObserver> observer) {
        this.settings = settings;
        this.name = settings.cache();
        this.requestNamespace = "cache:" + name;
        this.near = settings.nearEnabled()
                ? new NearLayer(settings.nearMaxSize(), settings.nearMaxBytes(), settings.nearTtl()) : null;
        this.loadWaitNanos = settings.loadWait().toNanos();
        this.abandonedClaims = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(settings.loadLease())
                .executor(Runnable::run).build();
        this.server = server;
        this.transactions = transactions;
        this.counters = new CacheCounters(name, observer);
        this.refreshAhead = new RefreshAhead(executor, transactions, counters);
        this.recordings = recordings;
        this.cluster = settings.clusterEnabled() && layer != null
                ? new GuardedCluster(layer, new ClusterHealth(settings.clusterRetryAfter()), counters, new Messages())
                : null;
        this.publication = new Publication(name, settings.maxValueSize(), near, cluster, counters, recordings);
        this.manyKeys = new ManyKeysRead(settings, near, cluster, server, transactions, counters, recordings, flights,
                publication);
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
     * from {@code method} when none has. Concurrent misses of the key on this node share one load
     * ({@link SingleFlight}); a miss that finds another node's load in progress waits for its value in the
     * cluster. Either wait lasts at most {@code load.wait}; then the caller loads by itself.
     *
     * @param request      the current request's entries of this cache ({@link RequestEntries#NONE} outside one)
     * @param times        the entry times as annotated (configuration may override them)
     * @param reinvocation the same call through the bean, for a refresh-ahead
     * @throws Exception whatever the method throws, unchanged
     */
    Object read(RequestEntries request, CacheKey key, EntryTimes times, Callable<Object> method,
                Supplier<Callable<Object>> reinvocation) throws Exception {
        RefreshAhead.Refresh refresh = RefreshAhead.claim(this, key);
        if (refresh != null) {
            return reload(refresh, method);
        }
        if (recordings.active()) {
            recordings.read(name, key);
        }
        // 1. The current request.
        Object stored = request.get(key);
        if (stored != null) {
            counters.requestHit();
            return stored;
        }
        Read read = new Read(request, key, settings.resolve(times), method, reinvocation,
                System.nanoTime() + loadWaitNanos);
        while (true) {
            // 2. This node's near layer (once it hears other nodes' invalidations); the stamp guards what this
            //    read publishes there later.
            NearLayer near = server.hearsInvalidations() ? this.near : null;
            long stamp = 0;
            if (near != null) {
                stamp = near.stamp(key);
                NearLayer.Entry entry = near.entry(key);
                if (entry != null) {
                    counters.nearHit();
                    request.remember(key, entry.value());
                    refreshIfOld(read, entry.writtenAt());
                    return entry.value();
                }
            }
            // 3. One load per key on this node: lead it, or wait for the one in flight.
            SingleFlight.Joined joined = flights.join(key);
            if (joined.alone()) {
                return fromCluster(read, near, stamp, null);
            }
            if (joined.leads()) {
                return lead(read, near, stamp, joined.flight());
            }
            counters.waitStarted();
            SingleFlight.Outcome outcome = joined.flight().await(read.deadline() - System.nanoTime());
            if (outcome instanceof SingleFlight.Outcome.Value value) {
                counters.sharedLoad();
                request.remember(key, value.stored());
                return value.stored();
            }
            if (outcome instanceof SingleFlight.Outcome.Failed failed) {
                counters.sharedLoad();
                throw failed.failure();
            }
            if (outcome == SingleFlight.Outcome.TIMED_OUT || System.nanoTime() - read.deadline() >= 0) {
                counters.waitGivenUp();
                return fromCluster(read, near, stamp, null);
            }
            // Retry: the load it waited for could not be shared; read again.
        }
    }

    /**
     * The stored forms of many keys' values, read through the layers at once (see {@link ManyKeysRead}).
     *
     * @param keys distinct keys, in any order
     * @throws Exception whatever the loader (or a load this read waited for) throws, unchanged
     */
    Map<CacheKey, Object> readAll(RequestEntries request, Collection<CacheKey> keys, EntryTimes times,
                                  BulkLoader loader) throws Exception {
        return manyKeys.read(request, keys, times, loader);
    }

    /** Leads the key's flight: whatever happens, the flight lands, so no waiter waits past its bound for nothing. */
    private Object lead(Read read, NearLayer near, long stamp, SingleFlight.Flight flight) throws Exception {
        try {
            return fromCluster(read, near, stamp, flight);
        } catch (Exception | Error failure) {
            flights.land(read.key(), flight, SingleFlight.Outcome.RETRY); // no effect if it landed already
            throw failure;
        }
    }

    /**
     * 4. The cluster layer: a hit, or a claim on the key for the load below. A leader ({@code flight} not null)
     * that finds another node's claim waits for that load's value, up to the read's deadline; a claim it gave up
     * on once is not waited for again.
     */
    private Object fromCluster(Read read, NearLayer near, long stamp, SingleFlight.Flight flight) throws Exception {
        CacheKey key = read.key();
        Reservation reservation = null;
        boolean withoutCluster = true;
        ClusterLayer.Entry expired = null;
        long pauseNanos = FIRST_PAUSE_NANOS;
        boolean waiting = false;
        while (cluster != null) {
            GuardedCluster.Reached<ClusterLayer.Entry> found = cluster.get(key);
            if (!found.reached()) {
                break;
            }
            ClusterLayer.Entry entry = found.value();
            if (entry != null && !entry.isClaim()) {
                if (!read.expired(entry)) {
                    counters.clusterHit();
                    if (near != null) {
                        near.publish(key, entry.value(), entry.raw().length, entry.writtenAt(), stamp, read.ttl());
                    }
                    read.request().remember(key, entry.value());
                    land(flight, key, new SingleFlight.Outcome.Value(entry.value()));
                    refreshIfOld(read, entry.writtenAt());
                    return entry.value();
                }
                expired = entry;
            }
            if (entry == null || !entry.isClaim()) {
                GuardedCluster.Reached<Reservation> claim = cluster.reserve(key, entry);
                if (!claim.reached()) {
                    break;
                }
                if (claim.value() != null) {
                    withoutCluster = false;
                    reservation = claim.value();
                    break;
                }
                if (System.nanoTime() - read.deadline() >= 0) {
                    withoutCluster = false;             // the key keeps changing: load, and publish nothing
                    break;
                }
                continue;                               // taken meanwhile: look again
            }
            // Another load holds the key.
            withoutCluster = false;
            if (flight == null || entry.claim().equals(abandonedClaims.getIfPresent(key))) {
                break;
            }
            if (!waiting) {
                waiting = true;
                counters.waitStarted();
            }
            long left = read.deadline() - System.nanoTime();
            if (left <= 0) {
                counters.waitGivenUp();
                abandonedClaims.put(key, entry.claim());
                break;
            }
            LockSupport.parkNanos(Math.min(pauseNanos, left));
            pauseNanos = Math.min(pauseNanos * 2, MAX_PAUSE_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        // 5. The method.
        return load(read, flight, new Publication.Load(key, near != null, stamp, read.ttl(), reservation,
                withoutCluster, expired));
    }

    /** Starts one background reload if the entry a read answered with is older than its refresh-after. */
    private void refreshIfOld(Read read, long writtenAt) {
        if (read.old(writtenAt) && !refreshAhead.running(read.key())) {
            Callable<Object> again = read.reinvocation().get();   // taken now, while the call is still on
            refreshAhead.start(read.key(), () -> {
                refreshNow(read, again);
                return null;
            });
        }
    }

    /**
     * In the background: reloads the key unless the cluster says it need not be, or another node's refresh holds
     * the key's refresh mark. An entry the cluster already holds fresh (another node refreshed it) only fills
     * this node's near layer.
     */
    private void refreshNow(Read read, Callable<Object> again) throws Exception {
        CacheKey key = read.key();
        NearLayer near = server.hearsInvalidations() ? this.near : null;
        long stamp = near == null ? 0 : near.stamp(key);
        ClusterLayer.Entry current = null;
        Reservation mark = null;
        if (cluster != null) {
            GuardedCluster.Reached<ClusterLayer.Entry> found = cluster.get(key);
            if (found.reached()) {
                current = found.value();
                if (current == null || current.isClaim()) {
                    return;                                  // dropped, or being loaded: the next read loads it
                }
                if (!read.old(current.writtenAt())) {
                    if (near != null) {
                        near.publish(key, current.value(), current.raw().length, current.writtenAt(), stamp,
                                read.ttl());
                    }
                    return;
                }
                GuardedCluster.Reached<Reservation> marked = cluster.markRefresh(key);
                if (!marked.reached() || marked.value() == null) {
                    return;
                }
                mark = marked.value();
                // Another node may have refreshed the key and let go of the mark since it was read above.
                GuardedCluster.Reached<ClusterLayer.Entry> now = cluster.get(key);
                if (!now.reached() || now.value() == null || now.value().isClaim()
                        || !read.old(now.value().writtenAt())) {
                    cluster.unmarkRefresh(key, mark);
                    return;
                }
                current = now.value();
            }
        }
        try {
            refreshAhead.reload(new RefreshAhead.Refresh(this, key, current, stamp, read), again);
        } finally {
            if (mark != null) {
                cluster.unmarkRefresh(key, mark);
            }
        }
    }

    /** The method's part of a refresh: runs it, and once its transaction commits, publishes what it returned. */
    private Object reload(RefreshAhead.Refresh refresh, Callable<Object> method) throws Exception {
        counters.refresh();
        long started = System.nanoTime();
        Object stored = NullValue.wrap(method.call());
        counters.loaded(System.nanoTime() - started);
        transactions.afterCompletion(() -> publishRefresh(refresh, stored), () -> { });
        return stored;
    }

    /**
     * Replaces exactly the entry the refresh found old; an invalidation (or a load, or another refresh) in between
     * wins and the reloaded value is dropped. The near layer checks its stamp as for a load.
     */
    private void publishRefresh(RefreshAhead.Refresh refresh, Object stored) {
        CacheKey key = refresh.key();
        int bytes = 0;
        if (refresh.entry() != null) {
            byte[] entry = cluster.encode(key, stored);
            if (entry == null) {
                return;
            }
            if (entry.length > settings.maxValueSize()) {
                counters.oversized(key, entry.length, settings.maxValueSize());
                return;
            }
            GuardedCluster.Reached<Boolean> replaced = cluster.replace(key, refresh.entry(), entry,
                    refresh.read().times().kept());
            if (!replaced.reached() || !replaced.value()) {
                return;
            }
            bytes = entry.length;
        }
        if (near != null && server.hearsInvalidations()) {
            near.publish(key, stored, bytes, System.currentTimeMillis(), refresh.stamp(), refresh.read().ttl());
        }
        if (recordings.active()) {
            recordings.write(name, key);
        }
    }

    /** Loads many keys without any layer (the cache is disabled): each counted as a load. */
    Map<CacheKey, Object> uncachedAll(List<CacheKey> keys, BulkLoader loader) throws Exception {
        keys.forEach(key -> counters.load());
        Map<CacheKey, Object> loaded = loader.load(keys);
        Map<CacheKey, Object> stored = new HashMap<>();
        keys.forEach(key -> stored.put(key, NullValue.wrap(loaded.get(key))));
        return stored;
    }

    /** Runs a read's method without any layer: the cache is disabled, or the call's key could not be computed. */
    Object uncached(Callable<Object> method) throws Exception {
        counters.load();
        return NullValue.wrap(method.call());
    }

    private Object load(Read read, SingleFlight.Flight flight, Publication.Load load) throws Exception {
        CacheKey key = read.key();
        counters.load();
        if (recordings.active()) {
            recordings.miss(name, key);
        }
        Object stored;
        long started = System.nanoTime();
        try {
            stored = NullValue.wrap(read.method().call());
            counters.loaded(System.nanoTime() - started);
        } catch (Exception failure) {
            counters.loaded(System.nanoTime() - started);
            if (load.expired() != null && read.mayStandIn(load.expired())) {
                counters.staleServed(key, failure);
                restore(load, read);
                land(flight, key, new SingleFlight.Outcome.Value(load.expired().value()));
                return load.expired().value();
            }
            release(load);
            land(flight, key, new SingleFlight.Outcome.Failed(failure));
            throw failure;
        } catch (Error failure) {
            release(load);
            land(flight, key, SingleFlight.Outcome.RETRY);
            throw failure;
        }
        read.request().remember(key, stored);
        transactions.afterCompletion(() -> {
            boolean shared = false;
            try {
                shared = publish(load, stored, read);
            } finally {
                land(flight, key, shared ? new SingleFlight.Outcome.Value(stored) : SingleFlight.Outcome.RETRY);
            }
        }, () -> {
            land(flight, key, SingleFlight.Outcome.RETRY);
            release(load);
            read.request().forget(key, stored);
        });
        return stored;
    }

    private void land(SingleFlight.Flight flight, CacheKey key, SingleFlight.Outcome outcome) {
        flights.land(key, flight, outcome);
    }

    /**
     * After the load's transaction committed: into the cluster layer if the claim still holds, then near.
     *
     * @return whether the value may be handed to the load's waiters: no invalidation of the key came in between
     */
    private boolean publish(Publication.Load load, Object stored, Read read) {
        return publication.publish(load, stored, read.times().kept());
    }

    /** A load over an expired entry failed and the entry stood in: it goes back in place of the claim. */
    private void restore(Publication.Load load, Read read) {
        Duration left = Duration.ofMillis(load.expired().writtenAt() + read.times().kept().toMillis()
                - System.currentTimeMillis());
        if (load.reservation() != null && !load.withoutCluster() && !left.isNegative() && !left.isZero()) {
            cluster.restore(load.key(), load.reservation(), load.expired(), left);
        } else {
            release(load);
        }
    }

    private void release(Publication.Load load) {
        publication.release(load);
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

    /**
     * Writes {@code values} to the cluster layer in chunks (see {@link Preload}), each under {@code keyOf} of it, to
     * live {@code times}' TTL; counted on {@code progress}.
     *
     * @throws IllegalStateException when this cache has no cluster layer to fill
     */
    void preload(java.util.Iterator<?> values, java.util.function.Function<Object, CacheKey> keyOf, EntryTimes times,
                 org.layeredcache.CacheTasks.Progress progress) {
        if (cluster == null) {
            throw new IllegalStateException("cache '" + name + "' has no cluster layer here to preload into");
        }
        Preload preload = new Preload(cluster, counters, settings.maxValueSize(), settings.preloadChunkSize(),
                settings.resolve(times).kept());
        preloads.add(preload);
        try {
            preload.run(values, keyOf, progress);
        } finally {
            preloads.remove(preload);
        }
    }

    /** Drops the key from this node's near layer only, as another node asked; later reads start a new load. */
    void invalidateNear(CacheKey key) {
        preloads.forEach(preload -> preload.invalidated(key));
        flights.invalidate(key);
        if (near != null) {
            near.invalidate(key);
        }
    }

    /** Drops every entry from this node's near layer only, as another node asked. */
    void invalidateNearAll() {
        preloads.forEach(preload -> preload.invalidated(null));
        flights.invalidateAll();
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

    RecentFigures recent(int minutes) {
        return counters.recent(minutes);
    }

    /** This cache's state on this node: its cluster circuit, kept invalidations and last fault. */
    CacheHealth health() {
        String circuit = cluster == null ? "off" : cluster.circuitOpen() ? "open" : "closed";
        return new CacheHealth(name, circuit, cluster == null ? 0 : cluster.keptInvalidations(),
                counters.lastFault());
    }

    /** Whether and since when {@code key} is in this node's near layer. */
    KeyPresence.Near nearPresence(CacheKey key) {
        if (near == null) {
            return new KeyPresence.Near("off", null);
        }
        NearLayer.Entry entry = near.entry(key);
        return entry == null ? new KeyPresence.Near("absent", null) : new KeyPresence.Near("present",
                entry.writtenAt() == 0 ? null : System.currentTimeMillis() - entry.writtenAt());
    }

    /**
     * Whether {@code key} is in the cluster layer ({@code present}, {@code absent}, {@code being loaded},
     * {@code unreachable}, {@code off}), and the entry's age in milliseconds when present.
     */
    Map.Entry<String, Long> clusterPresence(CacheKey key) {
        if (cluster == null) {
            return new AbstractMap.SimpleImmutableEntry<>("off", null);
        }
        GuardedCluster.Reached<ClusterLayer.Entry> found = cluster.get(key);
        if (!found.reached()) {
            return new AbstractMap.SimpleImmutableEntry<>("unreachable", null);
        }
        if (found.value() == null) {
            return new AbstractMap.SimpleImmutableEntry<>("absent", null);
        }
        return found.value().isClaim() ? new AbstractMap.SimpleImmutableEntry<>("being loaded", null)
                : new AbstractMap.SimpleImmutableEntry<>("present",
                        System.currentTimeMillis() - found.value().writtenAt());
    }

    /** Entries in this node's near layer (0 without one). */
    long nearEntries() {
        return near == null ? 0 : near.size();
    }

    /** About the bytes of values in this node's near layer (0 without one). */
    long nearBytes() {
        return near == null ? 0 : near.weight();
    }

    /** Another node's invalidation of {@code key} ({@code null}: all entries), published at {@code publishedAt}. */
    void received(CacheKey key, long publishedAt) {
        counters.invalidationReceived(Math.max(0, System.currentTimeMillis() - publishedAt));
        if (key == null) {
            invalidateNearAll();
        } else {
            invalidateNear(key);
        }
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

    /**
     * One read of a key: what it needs on every path, and until when it may wait for another load.
     *
     * @param times        the entry times, configuration applied
     * @param reinvocation the same call through the bean, for a refresh-ahead
     */
    public record Read(RequestEntries request, CacheKey key, EntryTimes times, Callable<Object> method,
                Supplier<Callable<Object>> reinvocation, long deadline) {

        Duration ttl() {
            return times.ttl();
        }

        /** Whether a cluster value is past its TTL (only tracked when expired entries are kept at all). */
        boolean expired(ClusterLayer.Entry entry) {
            return !times.staleIfError().isZero()
                    && System.currentTimeMillis() - entry.writtenAt() >= times.ttl().toMillis();
        }

        /** Whether an expired entry is still young enough to stand in for a failed load. */
        boolean mayStandIn(ClusterLayer.Entry entry) {
            return System.currentTimeMillis() - entry.writtenAt() < times.kept().toMillis();
        }

        /** Whether a value written then is old enough to be refreshed ahead. */
        boolean old(long writtenAt) {
            return times.refreshes() && System.currentTimeMillis() - writtenAt >= times.refreshAfter().toMillis();
        }
    }
}
