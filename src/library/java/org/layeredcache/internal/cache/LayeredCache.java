package org.layeredcache.internal.cache;

import org.layeredcache.internal.cluster.Reservation;
import org.layeredcache.internal.cluster.ServerCluster;
import org.layeredcache.internal.config.CacheSettings;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.key.Entries;
import org.layeredcache.internal.layer.ClusterHealth;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.NearLayer;
import org.layeredcache.internal.layer.NullValue;
import org.layeredcache.internal.layer.RequestEntries;
import org.layeredcache.internal.layer.TagVersions;
import org.layeredcache.internal.layer.Transactions;
import org.layeredcache.internal.load.BulkLoader;
import org.layeredcache.internal.load.ClaimWait;
import org.layeredcache.internal.load.FreshLoad;
import org.layeredcache.internal.load.KeyLoader;
import org.layeredcache.internal.load.KeyRead;
import org.layeredcache.internal.load.NearRenewal;
import org.layeredcache.internal.load.PendingLoad;
import org.layeredcache.internal.load.Publication;
import org.layeredcache.internal.load.RefreshAhead;
import org.layeredcache.internal.load.SingleFlight;
import org.layeredcache.internal.load.StageFailure;
import org.layeredcache.internal.load.StaleIfError;
import org.layeredcache.internal.stats.CacheCounters;
import org.layeredcache.internal.stats.CacheObserver;
import org.layeredcache.internal.stats.Recordings;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One cache across its layers: the read of one key as numbered steps (request, near, this node's flight, cluster,
 * method, publication after the commit), and invalidation bottom to top. A failing layer is skipped and counted;
 * it never changes a result. Thread-safe.
 *
 * <p>Why a load never publishes a stale value: before the method runs, the load takes the near layer's stamp and
 * claims the key in the cluster layer ({@link Reservation}). An invalidation removes the cluster entry (and with
 * it any claim), then bumps the near layer's stamp and removes the near entry, then tells the other nodes to do
 * the same. A load that overlapped it finds its claim gone and publishes nowhere, and the near layer refuses a
 * value whose stamp is older than the invalidation ({@link Publication}, {@link NearLayer}).
 *
 * <p>The parts each have a class of their own: one load per key on this node ({@link SingleFlight}), waiting for
 * another node's load ({@link ClaimWait}), refresh-ahead ({@link RefreshAhead}), stale-if-error
 * ({@link StaleIfError}), near copies renewed before they expire ({@link NearRenewal}), the publication rules
 * ({@link Publication}), the cluster's guard ({@link GuardedCluster}: its circuit, and the invalidations kept
 * during an outage). Reads of many keys are {@link ManyKeysRead}'s, a bulk preload {@link Preload}'s; both use
 * the same parts.
 */
final class LayeredCache {

    private final CacheSettings settings;
    private final String requestNamespace;
    private final Layers layers;
    private final ServerCluster server;
    private final CacheCounters counters;
    private final SingleFlight flights = new SingleFlight();
    private final RecentMisses recentMisses = new RecentMisses();
    private final ClaimWait claims;
    private final Publication publication;
    private final KeyLoader loader;
    private final RefreshAhead refreshAhead;
    private final NearRenewal nearRenewal;
    private final ManyKeysRead manyKeys;
    private final Preload.Running preloads = new Preload.Running();
    private final long loadWaitNanos;
    private final Executor executor;
    private final AuditSamples audit;

    /**
     * @param cluster the cache's cluster layer, or {@code null} when the server offers none
     * @param server  the server's cluster: whether this node hears the other nodes' invalidations, and the messages
     */
    LayeredCache(CacheSettings settings, ClusterLayer cluster, ServerCluster server, TagVersions tags,
                 Transactions transactions, Executor executor, Recordings recordings,
                 Supplier<CacheObserver> observer) {
        this.settings = settings;
        this.requestNamespace = "cache:" + settings.cache();
        this.server = server;
        this.counters = new CacheCounters(settings.cache(), observer);
        NearLayer near = settings.nearEnabled()
                ? new NearLayer(settings.nearMaxSize(), settings.nearMaxBytes(), settings.nearTtl())
                : NearLayer.absent();
        GuardedCluster guarded = settings.clusterEnabled() && cluster != null
                ? new GuardedCluster(cluster, new ClusterHealth(settings.clusterRetryAfter()), counters, new Messages())
                : GuardedCluster.absent(counters, new Messages());
        this.layers = new Layers(settings.cache(), near, guarded, transactions, counters, recordings,
                server::hearsInvalidations, tags);
        this.loadWaitNanos = settings.loadWait().toNanos();
        this.executor = executor;
        this.claims = new ClaimWait(settings.loadLease(), counters);
        this.publication = new Publication(layers, settings.maxValueSize());
        this.loader = new KeyLoader(layers, flights, publication, new StaleIfError(layers, publication));
        this.refreshAhead = new RefreshAhead(layers, executor, publication);
        this.nearRenewal = new NearRenewal(layers, settings.nearRenew());
        this.manyKeys = new ManyKeysRead(settings, layers, flights, publication, nearRenewal);
        this.audit = new AuditSamples(settings.audit().enabled());
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

    /** The reads this cache offers the consistency auditor. */
    AuditSamples auditSamples() {
        return audit;
    }

    /** The cache's layers, for the operators' questions (where a key is, sizes, health). */
    Layers layers() {
        return layers;
    }

    /**
     * The stored form of the key's value ({@link NullValue} for nothing), from the first layer that has it, or
     * from {@code method} when none has. Concurrent misses of the key on this node share one load; a miss that
     * finds another node's load in progress waits for its value in the cluster. Either wait lasts at most
     * {@code load.wait}; then the caller loads by itself.
     *
     * @param request      the current request's entries of this cache ({@link RequestEntries#NONE} outside one)
     * @param tags         the entry's tags for this call, rendered only if a load needs them (none: an empty array)
     * @param trackEntities whether the read's annotation asks to track JPA entities (configuration may override)
     * @param times        the entry times as annotated (configuration may override them)
     * @param unless       whether a loaded value (its stored form) is kept out of every layer; {@code null}: never
     * @param reinvocation the same call through the bean, for a refresh-ahead
     * @throws Exception whatever the method throws, unchanged
     */
    Object read(RequestEntries request, CacheKey key, Supplier<String[]> tags, boolean trackEntities, EntryTimes times,
                Predicate<Object> unless, Callable<Object> method, Supplier<Callable<Object>> reinvocation)
            throws Exception {
        return read(request, key, tags, trackEntities, times, unless, method, reinvocation, false);
    }

    /**
     * As {@link #read(RequestEntries, CacheKey, Supplier, boolean, EntryTimes, Predicate, Callable, Supplier)}; with
     * {@code async}, the method answers a {@code CompletionStage} of its value, and a read that leads the key's load,
     * or waits for another caller's load on this node, answers a {@link PendingLoad} at once (one that finds another
     * node's claim waits for its value on this thread, as a synchronous read does).
     */
    Object read(RequestEntries request, CacheKey key, Supplier<String[]> tags, boolean trackEntities, EntryTimes times,
                Predicate<Object> unless, Callable<Object> method, Supplier<Callable<Object>> reinvocation,
                boolean async) throws Exception {
        boolean tracking = settings.tracksEntities(trackEntities);
        if (audit.audited()) {
            FreshLoad fresh = FreshLoad.claim(settings.cache(), key);
            if (fresh != null) {
                return fresh.load(method);                                  // the auditor's call: no layer
            }
        }
        RefreshAhead.Refresh refresh = refreshAhead.claim(key);
        if (refresh != null) {
            return refreshAhead.reload(refresh, tags, tracking, method);   // a background refresh's call
        }
        if (layers.recordings().active()) {
            layers.recordings().read(settings.cache(), key);
        }
        // 1. The current request.
        Object stored = request.get(key);
        if (stored != null) {
            counters.requestHit();
            return stored;
        }
        KeyRead read = new KeyRead(request, key, tags, tracking && !async, settings.resolve(times), unless, method,
                reinvocation, System.nanoTime() + loadWaitNanos, async);
        while (true) {
            // 2. This node's near layer (absent until the node hears other nodes' invalidations); its stamp guards
            //    what this read publishes there later. An entry one of whose tags was invalidated is a miss.
            NearLayer near = layers.nearNow();
            long stamp = near.stamp(key);
            NearLayer.Entry entry = near.entry(key);
            if (entry != null && layers.current(entry.value())) {
                counters.nearHit();
                request.remember(key, entry.value());
                refreshAhead.ifOld(read, entry.writtenAt());
                nearRenewal.ifDue(key, read.times(), entry);
                if (!async) {
                    audit.hit(key, reinvocation);
                }
                return entry.value();
            }
            // 3. One load per key on this node: lead it, or wait for the one in flight.
            SingleFlight.Joined joined = flights.join(key);
            if (joined.alone()) {                                // this thread leads it further up its stack
                return fromCluster(read, near, stamp, null);
            }
            if (joined.leads()) {
                return lead(read, near, stamp, joined.flight());
            }
            if (read.async() && read.reinvocation() != null) {
                return new PendingLoad(waitLater(read, joined.flight()));
            }
            SingleFlight.Waited waited = SingleFlight.await(joined.flight(), read.deadline(), counters);
            if (waited.got()) {
                request.remember(key, waited.stored());
                return waited.stored();
            }
            if (waited.gaveUp() || read.pastDeadline()) {
                if (!waited.gaveUp()) {
                    counters.waitGivenUp();
                }
                return fromCluster(read, near, stamp, null);
            }
            // The load it waited for could not be shared (a rollback, an invalidation): read again.
        }
    }

    /**
     * An asynchronous read's wait for another caller's load of its key, without blocking its thread: it completes
     * with the load's value, or with the failure of the load's stage; with {@link PendingLoad#AGAIN} when the load
     * could not be shared (a rollback, an invalidation) or {@code load.wait} passed.
     */
    private CompletableFuture<Object> waitLater(KeyRead read, SingleFlight.Flight flight) {
        counters.waitStarted();
        return flight.outcome(read.deadline() - System.nanoTime()).thenCompose(outcome -> {
            if (outcome instanceof SingleFlight.Outcome.Value value) {
                counters.sharedLoad();
                return CompletableFuture.completedFuture(value.stored());
            }
            if (outcome instanceof SingleFlight.Outcome.Failed failed) {
                counters.sharedLoad();
                Throwable failure = failed.failure();
                return CompletableFuture.failedFuture(failure instanceof StageFailure stage ? stage.getCause()
                        : failure);
            }
            if (outcome == SingleFlight.Outcome.TIMED_OUT) {
                counters.waitGivenUp();
            }
            return CompletableFuture.completedFuture(PendingLoad.AGAIN);
        });
    }

    /** The server's executor, where an asynchronous read that must be made again is made. */
    Executor executor() {
        return executor;
    }

    /** Leads the key's flight: whatever happens, the flight lands, so no waiter waits past its bound for nothing. */
    private Object lead(KeyRead read, NearLayer near, long stamp, SingleFlight.Flight flight) throws Exception {
        try {
            return fromCluster(read, near, stamp, flight);
        } catch (Exception | Error failure) {
            flights.land(read.key(), flight, SingleFlight.Outcome.RETRY); // no effect if it landed already
            throw failure;
        }
    }

    /**
     * 4. The cluster layer: a hit, or a claim on the key for the load below. A leader ({@code flight} not null)
     * that finds another node's claim waits for that load's value ({@link ClaimWait}). An entry one of whose tags
     * was invalidated is replaced by the claim, and never stands in for a failed load.
     */
    private Object fromCluster(KeyRead read, NearLayer near, long stamp, SingleFlight.Flight flight)
            throws Exception {
        CacheKey key = read.key();
        GuardedCluster cluster = layers.cluster();
        ClaimWait.Waiting waiting = claims.start(key, read.deadline());
        Reservation reservation = null;
        boolean withoutCluster = true;
        ClusterLayer.Entry expired = null;
        // The versions of the call's tags, asked together with the first get: a hit of a tagged entry then waits
        // for one round of the cluster, not for the get and then its tags; a claim needs them before the load.
        TagVersions.Asked versions = layers.ask(read.tags());
        boolean first = true;
        while (true) {
            GuardedCluster.Reached<ClusterLayer.Entry> found;
            if (first && recentMisses.likely()) {               // get and claim in one round (see RecentMisses)
                GuardedCluster.Reached<ClusterLayer.Claimed> both = cluster.getOrReserve(key);
                first = false;
                if (!both.reached()) {
                    break;
                }
                if (both.value().reservation() != null) {
                    recentMisses.miss();
                    withoutCluster = false;
                    reservation = both.value().reservation();
                    break;
                }
                if (both.value().entry() == null) {
                    continue;                                   // taken and freed between the two: look again
                }
                found = new GuardedCluster.Reached<>(true, both.value().entry());
            } else {
                first = false;
                found = cluster.get(key);
                if (!found.reached()) {
                    break;                                      // none, or unreachable: load without it
                }
            }
            ClusterLayer.Entry entry = found.value();
            if (entry == null) {
                recentMisses.miss();
            }
            if (entry != null && !entry.isClaim()) {
                boolean current = layers.current(entry.value());
                if (current && !StaleIfError.expired(read.times(), entry)) {
                    recentMisses.hit();
                    counters.clusterHit();
                    near.publish(key, entry.value(), entry.raw().length, entry.writtenAt(), stamp, read.ttl());
                    read.request().remember(key, entry.value());
                    flights.land(key, flight, new SingleFlight.Outcome.Value(entry.value()));
                    refreshAhead.ifOld(read, entry.writtenAt());
                    if (!read.async()) {
                        audit.hit(key, read.reinvocation());
                    }
                    return entry.value();
                }
                expired = current ? entry : null;               // past its TTL, kept for stale-if-error
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
                if (read.pastDeadline()) {
                    withoutCluster = false;                     // the key keeps changing: load, and publish nothing
                    break;
                }
                continue;                                       // taken meanwhile: look again
            }
            withoutCluster = false;                             // another load holds the key
            if (!waiting.pause(entry.claim(), flight != null)) {
                break;
            }
        }
        // 5. The method; 6. its value published after the commit.
        return loader.load(read, flight, new Publication.Load(key, near.present(), stamp, read.ttl(), reservation,
                withoutCluster, expired), versions);
    }

    /**
     * The stored forms of many keys' values, read through the layers at once (see {@link ManyKeysRead}).
     *
     * @param keys distinct keys, in any order
     * @throws Exception whatever the loader (or a load this read waited for) throws, unchanged
     */
    Map<CacheKey, Object> readAll(RequestEntries request, Collection<CacheKey> keys,
                                  Function<CacheKey, String[]> tags, boolean trackEntities, EntryTimes times,
                                  BulkLoader loader) throws Exception {
        return manyKeys.read(request, keys, tags, settings.tracksEntities(trackEntities), times, loader);
    }

    /**
     * Drops the key: from the cluster layer, then from this node's near layer, then from the other nodes' near
     * layers. What cannot reach the cluster now is kept for later, and its message sent then.
     */
    void invalidate(CacheKey key) {
        counters.invalidation();
        if (layers.recordings().active()) {
            layers.recordings().invalidation(settings.cache(), key);
        }
        boolean reachedCluster = layers.cluster().invalidate(key);
        invalidateNear(key);
        if (reachedCluster) {
            tellOtherNodes(Entries.one(key));
        }
    }

    /**
     * Makes {@code stored} the key's entry (a JSR-107 put): the key is dropped everywhere first, as by
     * {@link #invalidate}, so that no load in flight publishes over it; then the value is published as a load's
     * would be: into the cluster under a claim of its own (unless another load claimed the key meanwhile, whose
     * value is newer), then near.
     */
    void put(CacheKey key, Object stored, EntryTimes times) {
        invalidate(key);
        EntryTimes resolved = settings.resolve(times);
        NearLayer near = layers.nearNow();
        long stamp = near.stamp(key);
        GuardedCluster.Reached<Reservation> claim = layers.cluster().reserve(key, null);
        if (claim.reached() && claim.value() == null) {
            return;                                             // another load holds the key: its value wins
        }
        publication.publish(new Publication.Load(key, near.present(), stamp, resolved.ttl(),
                claim.reached() ? claim.value() : null, !claim.reached(), null), stored, resolved.kept());
    }

    /** The key's stored form if a layer holds a current one (near, then cluster), else {@code null}; loads nothing. */
    Object peek(CacheKey key) {
        NearLayer.Entry entry = layers.nearNow().entry(key);
        if (entry != null && layers.current(entry.value())) {
            return entry.value();
        }
        GuardedCluster.Reached<ClusterLayer.Entry> found = layers.cluster().get(key);
        ClusterLayer.Entry inCluster = found.reached() ? found.value() : null;
        return inCluster != null && !inCluster.isClaim() && layers.current(inCluster.value()) ? inCluster.value()
                : null;
    }

    /** Drops every entry, in the same order as {@link #invalidate}. */
    void invalidateAll() {
        counters.invalidation();
        if (layers.recordings().active()) {
            layers.recordings().invalidationOfAll(settings.cache());
        }
        boolean reachedCluster = layers.cluster().invalidateAll();
        invalidateNearAll();
        if (reachedCluster) {
            tellOtherNodes(Entries.ALL);
        }
    }

    /** Another node's invalidation of {@code entries}, published at {@code publishedAt}. */
    void received(Entries entries, long publishedAt) {
        counters.invalidationReceived(Math.max(0, System.currentTimeMillis() - publishedAt));
        if (entries instanceof Entries.One one) {
            invalidateNear(one.key());
        } else {
            invalidateNearAll();
        }
    }

    /** Drops the key from this node's near layer only; later reads start a new load. */
    private void invalidateNear(CacheKey key) {
        preloads.invalidated(Entries.one(key));
        flights.invalidate(key);
        layers.near().invalidate(key);
    }

    /** Invalidation messages were lost, which may have named any key: the near layer is dropped whole, counted. */
    void lostInvalidations() {
        counters.nearDroppedForLostMessages();
        invalidateNearAll();
    }

    /** Drops every entry from this node's near layer only (an unreadable message named this cache). */
    void invalidateNearAll() {
        preloads.invalidated(Entries.ALL);
        flights.invalidateAll();
        layers.near().invalidateAll();
    }

    /** The preloads of this cache running on this node, which its invalidations reach. */
    Preload.Running preloads() {
        return preloads;
    }

    private void tellOtherNodes(Entries entries) {
        try {
            server.tellOtherNodes(settings.cache(), entries);
        } catch (RuntimeException e) {
            counters.fault("invalidation message", e);
        }
    }

    /** Sends the messages of invalidations carried out late, after an outage. */
    private final class Messages implements GuardedCluster.Messages {
        @Override
        public void invalidated(CacheKey key) {
            tellOtherNodes(Entries.one(key));
        }

        @Override
        public void invalidatedAll() {
            tellOtherNodes(Entries.ALL);
        }
    }
}
