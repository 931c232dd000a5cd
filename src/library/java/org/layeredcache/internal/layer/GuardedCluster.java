package org.layeredcache.internal.layer;

import org.layeredcache.internal.cluster.Reservation;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.stats.CacheCounters;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The cluster layer of one cache behind one guard, written once: before each operation the circuit
 * ({@link ClusterHealth}) is asked, and the invalidations kept during an outage are carried out first; each
 * operation waits at most the cluster timeout; a failure is counted and logged as a fault of the cache and opens
 * the circuit if it is the cluster's. The caller learns whether the cluster was reached and goes on without it
 * if not. An invalidation that does not reach the cluster is kept ({@link KeptInvalidations}) and later carried
 * out, with its message to the other nodes, before the cluster is read again. Thread-safe.
 */
public final class GuardedCluster {

    /** Tells the other nodes about an invalidation; never throws. */
    public interface Messages {
        void invalidated(CacheKey key);

        void invalidatedAll();
    }

    /**
     * What one guarded operation gave.
     *
     * @param reached whether the cluster answered; if not, {@code value} is {@code null}
     * @param value   its answer
     */
    public record Reached<T>(boolean reached, T value) {
        private static final Reached<?> NOT = new Reached<>(false, null);

        @SuppressWarnings("unchecked")
        public static <T> Reached<T> not() {
            return (Reached<T>) NOT;
        }
    }

    private final ClusterLayer layer;
    private final ClusterHealth health;
    private final CacheCounters counters;
    private final Messages messages;
    private final KeptInvalidations kept = new KeptInvalidations();

    /**
     * The cluster layer of a cache that has none (switched off, or no cluster cache on the server): every operation
     * answers "not reached" at once, and an invalidation has nothing to reach, so it counts as done.
     */
    public static GuardedCluster absent(CacheCounters counters, Messages messages) {
        return new GuardedCluster(null, new ClusterHealth(Duration.ZERO), counters, messages);
    }

    /** Whether this cache has a cluster layer (not {@link #absent}). */
    public boolean present() {
        return layer != null;
    }

    public GuardedCluster(ClusterLayer layer, ClusterHealth health, CacheCounters counters, Messages messages) {
        this.layer = layer;
        this.health = health;
        this.counters = counters;
        this.messages = messages;
    }

    /** The rounds this node awaited from the cluster for this cache ({@link ClusterLayer#roundTrips}); 0 if absent. */
    public long roundTrips() {
        return layer == null ? 0 : layer.roundTrips();
    }

    /** Whether the circuit is open (the cluster is kept off after a failure). */
    public boolean circuitOpen() {
        return health.open();
    }

    /** Invalidations kept for replay ({@code -1}: all entries). */
    public int keptInvalidations() {
        return kept.size();
    }

    /** The stored entry ({@code null}: none); an unreadable entry is dropped. */
    public Reached<ClusterLayer.Entry> get(CacheKey key) {
        return attempt("cluster get", () -> layer.get(key), failure -> dropIfUnreadable(key, failure));
    }

    /**
     * The stored entry's bytes ({@code null}: none), asked now and answered where the answer arrives, for background
     * work that nobody waits for: while the circuit is open nothing is sent and the answer is {@code null} at once.
     * A failure fails the future and leaves the circuit alone (the caller counts it). {@link #entryOf} reads them.
     */
    public java.util.concurrent.CompletableFuture<byte[]> storedLater(CacheKey key) {
        if (!usable()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        try {
            return layer.storedLater(key);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The entry the bytes of {@link #storedLater} hold ({@code null} for none).
     *
     * @throws ClusterCodec.UnreadableEntryException if it cannot be read
     */
    public ClusterLayer.Entry entryOf(byte[] stored) {
        return layer.entry(stored);
    }

    /**
     * The stored entry and, in the same round, a claim on the key should it hold nothing
     * ({@link ClusterLayer#getOrReserve}); an unreadable entry is dropped.
     */
    public Reached<ClusterLayer.Claimed> getOrReserve(CacheKey key) {
        return attempt("cluster get", () -> layer.getOrReserve(key), failure -> dropIfUnreadable(key, failure));
    }

    /**
     * The stored entries of many keys, asked at once (keys with nothing left out); entries that cannot be read are
     * counted as faults, dropped, and left out.
     */
    public Reached<Map<CacheKey, ClusterLayer.Entry>> getAll(Collection<CacheKey> keys) {
        Reached<ClusterLayer.Found> found = attempt("cluster get", () -> layer.getAll(keys), null);
        if (!found.reached()) {
            return Reached.not();
        }
        found.value().unreadable().forEach((key, failure) -> {
            counters.fault("cluster get", failure);
            dropIfUnreadable(key, failure);
        });
        return new Reached<>(true, found.value().entries());
    }

    /** Claims on many keys for one load, each absent or over the expired entry given; the claims taken. */
    public Reached<Map<CacheKey, Reservation>> reserveAll(Map<CacheKey, ClusterLayer.Entry> over) {
        return attempt("cluster reserve", () -> layer.reserveAll(over), null);
    }

    /** Replaces many loads' claims by their entries; for each key whether its claim was still there. */
    public Reached<Map<CacheKey, Boolean>> publishAll(Map<CacheKey, Reservation> claims, Map<CacheKey, byte[]> entries,
                                               Duration ttl) {
        return attempt("cluster put", () -> layer.publishAll(claims, entries, ttl), null);
    }

    /** Writes a preload's chunk with one bulk put; whether the cluster took it. */
    public boolean putAll(Map<CacheKey, byte[]> entries, Duration ttl) {
        return attempt("cluster bulk put", () -> {
            layer.putAll(entries, ttl);
            return Boolean.TRUE;
        }, null).reached();
    }

    /** Removes each key's entry if it is still exactly the one given (a preload's, overtaken by an invalidation). */
    public void removeExactly(Map<CacheKey, byte[]> entries) {
        if (!entries.isEmpty()) {
            attempt("cluster remove", () -> {
                layer.removeExactly(entries);
                return Boolean.TRUE;
            }, null);
        }
    }

    /** Gives many claims up; claims that cannot be released expire by themselves after the load lease. */
    public void releaseAll(Map<CacheKey, Reservation> claims) {
        if (!claims.isEmpty()) {
            attempt("cluster release", () -> {
                layer.releaseAll(claims);
                return Boolean.TRUE;
            }, null);
        }
    }

    /**
     * A claim on the key for a load ({@code null}: the key is taken), over {@code expired} if that is what the
     * cluster holds (an entry past its TTL, kept for {@code staleIfError}), else on an absent key.
     */
    public Reached<Reservation> reserve(CacheKey key, ClusterLayer.Entry expired) {
        return attempt("cluster reserve", () -> expired == null ? layer.reserve(key) : layer.reserveOver(key, expired),
                null);
    }

    /**
     * The entry of {@code stored}, or {@code null} when it cannot be serialized (counted as a fault: the value's,
     * so the circuit stays closed).
     */
    public byte[] encode(CacheKey key, Object stored) {
        try {
            return layer.encode(stored);
        } catch (RuntimeException e) {
            counters.fault("cluster put", e);
            return null;
        }
    }

    /** Replaces the load's claim by its entry; whether the claim was still there. */
    public Reached<Boolean> publish(CacheKey key, Reservation reservation, byte[] entry, Duration ttl) {
        return attempt("cluster put", () -> layer.publish(key, reservation, entry, ttl), null);
    }

    /** Replaces exactly {@code old} by a refreshed entry; whether {@code old} was still there. */
    public Reached<Boolean> replace(CacheKey key, ClusterLayer.Entry old, byte[] entry, Duration ttl) {
        return attempt("cluster refresh", () -> layer.replace(key, old, entry, ttl), null);
    }

    /** Marks a refresh of the key ({@code null}: another node refreshes it). */
    public Reached<Reservation> markRefresh(CacheKey key) {
        return attempt("cluster refresh mark", () -> layer.markRefresh(key), null);
    }

    /** Removes a refresh mark; one that cannot be removed expires by itself after the load lease. */
    public void unmarkRefresh(CacheKey key, Reservation mark) {
        attempt("cluster refresh mark", () -> {
            layer.unmarkRefresh(key, mark);
            return Boolean.TRUE;
        }, null);
    }

    /** Puts an expired entry back in place of a failed load's claim, to live {@code ttl} more. */
    public void restore(CacheKey key, Reservation reservation, ClusterLayer.Entry expired, Duration ttl) {
        attempt("cluster restore", () -> layer.restore(key, reservation, expired, ttl), null);
    }

    /** Gives a claim up; a claim that cannot be released expires by itself after the load lease. */
    public void release(CacheKey key, Reservation reservation) {
        attempt("cluster release", () -> layer.release(key, reservation), null);
    }

    /**
     * After a publication was refused: normally an invalidation (or the end of the load lease) removed the claim
     * meanwhile. A claim that is still there was neither published nor released and would make every node load
     * the key until the lease ends: it is removed, counted and logged as a fault.
     */
    public void removeLeftClaim(CacheKey key, Reservation reservation) {
        Reached<Boolean> removed = attempt("cluster release", () -> layer.release(key, reservation), null);
        if (removed.reached() && removed.value()) {
            counters.fault("publishing a load", new IllegalStateException("the cluster refused to replace the"
                    + " load's own claim on key " + key + " by its value; the claim was removed"));
        }
    }

    /** Drops the key; what does not reach the cluster is kept for later. Whether it reached the cluster now. */
    public boolean invalidate(CacheKey key) {
        if (!present()) {
            return true;
        }
        if (attempt("cluster invalidate", () -> {
            layer.invalidate(key);
            return Boolean.TRUE;
        }, null).reached()) {
            return true;
        }
        kept.keep(key);
        return false;
    }

    /** Drops every entry; kept for later if the cluster is not reached. Whether it reached the cluster now. */
    public boolean invalidateAll() {
        if (!present()) {
            return true;
        }
        if (attempt("cluster invalidate all", () -> {
            layer.invalidateAll();
            return Boolean.TRUE;
        }, null).reached()) {
            return true;
        }
        kept.keepAll();
        return false;
    }

    private <T> Reached<T> attempt(String operation, Supplier<T> work, java.util.function.Consumer<RuntimeException>
            afterFailure) {
        if (!usable()) {
            return Reached.not();
        }
        try {
            T value = work.get();
            health.succeeded();
            return new Reached<>(true, value);
        } catch (RuntimeException e) {
            counters.fault(operation, e);
            health.failed(e);
            if (afterFailure != null) {
                afterFailure.accept(e);
            }
            return Reached.not();
        }
    }

    /** Whether the cluster may be used now; first carries out the invalidations kept from an outage. */
    private boolean usable() {
        if (layer == null || !health.usable()) {
            return false;
        }
        if (kept.isEmpty()) {
            return true;
        }
        try {
            kept.replay(new KeptInvalidations.Replay() {
                @Override
                public void key(CacheKey key) {
                    layer.invalidate(key);
                    messages.invalidated(key);
                }

                @Override
                public void all() {
                    layer.invalidateAll();
                    messages.invalidatedAll();
                }
            });
            health.succeeded();
            return true;
        } catch (RuntimeException e) {
            counters.fault("replaying invalidations kept during a cluster outage", e);
            health.failed(e);
            return false;
        }
    }

    /** An entry that no longer deserializes (its class changed, say) would fail every read until its TTL. */
    private void dropIfUnreadable(CacheKey key, RuntimeException failure) {
        if (ClusterHealth.isClusterFailure(failure)) {
            return;
        }
        try {
            layer.invalidate(key);
        } catch (RuntimeException e) {
            counters.fault("dropping an unreadable cluster entry", e);
        }
    }
}
