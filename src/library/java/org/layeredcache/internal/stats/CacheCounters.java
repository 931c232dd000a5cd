package org.layeredcache.internal.stats;

import org.layeredcache.CacheStatistics;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts what one cache does on this node, and absorbs cache faults: each fault is counted, and logged with its
 * stack trace the first time its cause (operation and exception type) is seen, then only at FINE level, so a
 * broken cluster cannot flood the log. Thread-safe; counting costs a {@link LongAdder} increment.
 */
public final class CacheCounters {

    private static final Logger LOG = Logger.getLogger(CacheCounters.class.getName());

    private final String cache;
    private final LongAdder requestHits = new LongAdder();
    private final LongAdder nearHits = new LongAdder();
    private final LongAdder clusterHits = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private final LongAdder faults = new LongAdder();
    private final LongAdder sharedLoads = new LongAdder();
    private final LongAdder waitsGivenUp = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder staleServed = new LongAdder();
    private final LongAdder oversized = new LongAdder();
    private final LongAdder refreshes = new LongAdder();
    private final LongAdder invalidationsReceived = new LongAdder();
    private final LongAdder preloaded = new LongAdder();
    private final LongAdder preloadChunks = new LongAdder();
    private final LongAdder droppedByTags = new LongAdder();
    private final LongAdder nearDroppedForLostMessages = new LongAdder();
    private final LongAdder uncachedCalls = new LongAdder();
    private final LongAdder notCached = new LongAdder();
    private final LongAdder nearRenewals = new LongAdder();
    private final MinuteCounts recentLoads = new MinuteCounts();
    private final MinuteCounts recentFaults = new MinuteCounts();
    private final MinuteCounts recentDelays = new MinuteCounts();
    private final AuditFigures audit = new AuditFigures();
    private final Supplier<CacheObserver> observer;
    private volatile String lastFault;
    private final Set<String> causesLogged = ConcurrentHashMap.newKeySet();

    public CacheCounters(String cache, Supplier<CacheObserver> observer) {
        this.cache = cache;
        this.observer = observer;
    }

    /** The method ran for {@code nanos}, for a load (counted in {@link #load()} already) or a refresh. */
    public void loaded(long nanos) {
        observer.get().loaded(cache, nanos);
    }

    /** Another node's invalidation arrived, {@code millis} after it was published. */
    public void invalidationReceived(long millis) {
        invalidationsReceived.increment();
        recentDelays.add(Math.max(0, millis), System.currentTimeMillis());
        observer.get().invalidationReceived(cache, millis);
    }

    /** The last fault (when, operation, exception), or {@code null}. */
    public String lastFault() {
        return lastFault;
    }

    public void requestHit() {
        requestHits.increment();
    }

    public void nearHit() {
        nearHits.increment();
    }

    public void clusterHit() {
        clusterHits.increment();
    }

    /** A call (or one id of a read of many) missed every layer: its value is loaded. */
    public void load() {
        loads.increment();
        recentLoads.add(1, System.currentTimeMillis());
    }

    public void invalidation() {
        invalidations.increment();
    }

    /** A read found an entry that the invalidation of one of its tags dropped. */
    public void droppedByTag() {
        droppedByTags.increment();
    }

    /** Another node's invalidation messages were lost, and this cache's near layer was dropped whole for them. */
    public void nearDroppedForLostMessages() {
        nearDroppedForLostMessages.increment();
    }

    /** A call's condition was false: the method ran without any layer. */
    public void uncachedCall() {
        uncachedCalls.increment();
    }

    /** A loaded value was kept out of every layer by the read's {@code unless}. */
    public void notCached() {
        notCached.increment();
    }

    /** A call got the result of another call's load on this node. */
    public void sharedLoad() {
        sharedLoads.increment();
    }

    /** A preload wrote a chunk of {@code entries} to the cluster with one bulk put. */
    public void preloadChunk(int entries) {
        preloadChunks.increment();
        preloaded.add(entries);
    }

    /** A near copy was renewed from the cluster before it expired. */
    public void nearRenewal() {
        nearRenewals.increment();
    }

    /** A refresh-ahead reload ran the method. */
    public void refresh() {
        refreshes.increment();
    }

    /** A call started waiting for another call's load of its key (on this node, or another node's claim). */
    public void waitStarted() {
        waits.increment();
    }

    /** A call stopped waiting for another load of its key and loads by itself. */
    public void waitGivenUp() {
        waitsGivenUp.increment();
    }

    /** A failed load was answered with an expired entry; logged once per cause like a fault. */
    public void staleServed(Object key, Throwable failure) {
        staleServed.increment();
        String cause = "stale-if-error: " + rootCause(failure).getClass().getName();
        if (causesLogged.add(cause)) {
            LOG.log(Level.WARNING, failure, () -> "Cache '" + cache + "': the load of key " + key + " failed; its"
                    + " expired entry was returned instead (staleIfError). Further loads failing this way ("
                    + cause + ") are counted and logged at FINE.");
        } else if (LOG.isLoggable(Level.FINE)) {
            LOG.log(Level.FINE, "Cache '" + cache + "': the load of key " + key + " failed again; stale entry used",
                    failure);
        }
    }

    /** A value too large for the cluster layer; the first one is logged with its key and size. */
    public void oversized(Object key, int bytes, int limit) {
        oversized.increment();
        if (causesLogged.add("oversized")) {
            LOG.warning(() -> "Cache '" + cache + "': the value of key " + key + " is " + bytes + " bytes, more than"
                    + " cluster.max-value-size (" + limit + " bytes). It was returned and kept in this node's near"
                    + " layer, but not in the cluster. Further oversized values are counted and logged at FINE.");
        } else if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("Cache '" + cache + "': the value of key " + key + " is " + bytes + " bytes, kept out of the"
                    + " cluster");
        }
    }

    /** Counts a fault of {@code operation} (such as "cluster get") and logs it once per cause. */
    public void fault(String operation, Throwable failure) {
        faults.increment();
        recentFaults.add(1, System.currentTimeMillis());
        lastFault = Instant.now() + " " + operation + ": " + failure;
        observer.get().fault(cache, operation);
        String cause = operation + ": " + rootCause(failure).getClass().getName();
        if (causesLogged.add(cause)) {
            LOG.log(Level.WARNING, failure, () -> "Cache '" + cache + "': " + operation + " failed; the call goes on"
                    + " without that layer. Further faults of this kind (" + cause + ") are counted and logged at FINE.");
        } else if (LOG.isLoggable(Level.FINE)) {
            LOG.log(Level.FINE, "Cache '" + cache + "': " + operation + " failed again", failure);
        }
    }

    /** What the consistency auditor found for this cache on this node. */
    public AuditFigures audit() {
        return audit;
    }

    /** Loads, faults and received invalidations' delays over the last {@code minutes} (at most 15). */
    public RecentFigures recent(int minutes) {
        long now = System.currentTimeMillis();
        MinuteCounts.Window delays = recentDelays.last(minutes, now);
        return new RecentFigures(minutes, recentLoads.last(minutes, now).count(),
                recentFaults.last(minutes, now).count(), delays.count(), delays.total(), delays.max());
    }

    public CacheStatistics snapshot() {
        return new CacheStatistics(cache, requestHits.sum(), nearHits.sum(), clusterHits.sum(), loads.sum(),
                sharedLoads.sum(), invalidations.sum(), faults.sum(), waitsGivenUp.sum(), staleServed.sum(),
                oversized.sum(), refreshes.sum(), invalidationsReceived.sum(), waits.sum(), preloaded.sum(),
                preloadChunks.sum(), droppedByTags.sum(), nearDroppedForLostMessages.sum(), uncachedCalls.sum(),
                notCached.sum(), nearRenewals.sum());
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
