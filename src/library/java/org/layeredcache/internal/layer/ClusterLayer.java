package org.layeredcache.internal.layer;

import com.hazelcast.cache.ICache;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;
import org.layeredcache.internal.cluster.CleanContext;
import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.cluster.Reservation;
import org.layeredcache.internal.config.ValueForm;
import org.layeredcache.internal.key.CacheKey;

import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One cache in the cluster layer: a JCache cache of the server's {@link CacheManager}, used through Hazelcast's
 * {@link ICache} for per-entry expiry. Keys and entries are byte arrays in the {@link ClusterCodec}'s form. An
 * entry holds a value (or {@link NullValue}), or a load's {@link Reservation}; readers treat a reservation as a
 * miss.
 *
 * <p>The cache is obtained (created if need be, with entry-count eviction) on first use, through a
 * {@link CleanContext}. Every operation waits at most {@code timeout}
 * (then throws {@link ClusterTimeoutException}; the operation may still complete later, which the reservation
 * scheme tolerates) and may throw whatever the cluster throws; the caller turns that into a counted fault.
 * Thread-safe.
 */
public final class ClusterLayer {

    private final String name;
    private final CacheManager manager;
    private final int maxSize;
    private final java.util.concurrent.atomic.LongAdder roundTrips = new java.util.concurrent.atomic.LongAdder();
    /**
     * Given to every read, so that Hazelcast never builds the cache's default expiry policy, which it would do in
     * the application context saved with the cache (none when the library created it; see {@link CleanContext}).
     * A read leaves an entry's expiry as it is.
     */
    private static final ExpiryPolicy READ_KEEPS_EXPIRY = new CreatedExpiryPolicy(javax.cache.expiry.Duration.ETERNAL);

    private final ExpiryPolicy leasePolicy;
    private final long timeoutMillis;
    private final Map<Duration, ExpiryPolicy> ttlPolicies = new ConcurrentHashMap<>();
    private final ClusterCodec codec;
    private final int compressAbove;
    private final ValueForm valueForm;
    private volatile ICache<byte[], byte[]> cache;
    private CompletableFuture<ICache<byte[], byte[]>> obtaining;

    public ClusterLayer(String name, CacheManager manager, ClusterCodec codec, int maxSize, Duration loadLease,
                 Duration timeout, int compressAbove, ValueForm valueForm) {
        this.name = name;
        this.compressAbove = compressAbove;
        this.valueForm = valueForm;
        this.manager = manager;
        this.codec = codec;
        this.maxSize = maxSize;
        this.leasePolicy = new CreatedExpiryPolicy(toJCache(loadLease));
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * What the cluster holds for a key: a value with the time it was written, or another load's claim.
     *
     * @param value     the stored form, or {@code null} for a claim
     * @param claim     the claim, or {@code null} for a value
     * @param writtenAt when the value was written (epoch milliseconds)
     * @param raw       the entry's bytes, to replace exactly this entry
     */
    public record Entry(Object value, Reservation claim, long writtenAt, byte[] raw) {
        public boolean isClaim() {
            return claim != null;
        }
    }

    /**
     * What the cluster holds for the key, or {@code null} for nothing.
     *
     * @throws ClusterCodec.UnreadableEntryException if the entry cannot be read (its class changed, say)
     */
    Entry get(CacheKey key) {
        return entry(await(cache().getAsync(ClusterCodec.key(key), READ_KEEPS_EXPIRY), "get"));
    }

    /**
     * The bytes the cluster holds for the key ({@code null} for nothing), asked now and answered where the answer
     * arrives, for work nobody waits for (not counted as a round trip); {@link #entry} reads them, if they are
     * needed.
     */
    java.util.concurrent.CompletableFuture<byte[]> storedLater(CacheKey key) {
        return org.layeredcache.internal.cluster.Answers.of(cache().getAsync(ClusterCodec.key(key), READ_KEEPS_EXPIRY));
    }

    /**
     * Reads up to {@code count} of the values the cluster holds for this cache (the first ones it iterates, with
     * their partitions: no particular ones) and warms the value form with each ({@link ClusterCodec#warmUp}), so
     * that a node that joins a cluster already holding entries has the code for reading them before its first
     * request. Reads no entry's expiry and counts no round trip. The iteration goes partition by partition, so in
     * a cache holding few entries it would go through every partition: it stops once the cluster timeout has
     * passed, with what it found by then.
     *
     * @return how many entries warmed the value form (claims, entries in Java serialization and entries that
     *         cannot be read do not)
     * @throws ClusterTimeoutException if the iteration did not end within twice the cluster timeout (one of its
     *                                 steps hung)
     */
    public int warmUpValueForm(int count) {
        ICache<byte[], byte[]> cache = cache();
        List<byte[]> sample;
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            sample = CleanContext.call(() -> {
                List<byte[]> values = new ArrayList<>(count);
                Iterator<Cache.Entry<byte[], byte[]>> entries = cache.iterator(count);
                while (values.size() < count && System.nanoTime() < deadline && entries.hasNext()) {
                    byte[] value = entries.next().getValue();
                    if (value != null && !ClusterCodec.isClaim(value)) {
                        values.add(value);
                    }
                }
                return values;
            }, 2 * timeoutMillis);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new ClusterTimeoutException("reading entries of cache '" + name + "' to warm the value form"
                        + " up took more than " + 2 * timeoutMillis + " ms");
            }
            throw e;
        }
        int warmed = 0;
        for (byte[] value : sample) {
            try {
                if (codec.warmUp(value)) {
                    warmed++;
                }
            } catch (ClusterCodec.UnreadableEntryException e) {
                // skipped: the first read of that key drops the entry and counts it, as for any unreadable entry
            }
        }
        return warmed;
    }

    /**
     * The entry {@code stored} holds ({@code null} for nothing).
     *
     * @throws ClusterCodec.UnreadableEntryException if it cannot be read
     */
    Entry entry(byte[] stored) {
        if (stored == null) {
            return null;
        }
        return ClusterCodec.isClaim(stored) ? new Entry(null, ClusterCodec.claimOf(stored), 0, stored)
                : new Entry(codec.read(stored), null, ClusterCodec.writtenAt(stored), stored);
    }

    /**
     * What the cluster holds for the key and, in the same round, a claim on the key for a load should it hold
     * nothing: the get and the claim ({@code putIfAbsent}) are sent together and awaited together, so that a miss
     * costs this round and the publication instead of three. The claim follows the same rules as {@link #reserve}.
     *
     * @return the claim taken (the key held nothing when it arrived; what the get saw is then of no use), else the
     *         entry the key holds ({@code null} if the key was taken and freed again between the two)
     * @throws ClusterCodec.UnreadableEntryException if the entry cannot be read
     */
    Claimed getOrReserve(CacheKey key) {
        ICache<byte[], byte[]> cache = cache();
        byte[] bytes = ClusterCodec.key(key);
        Reservation reservation = Reservation.create();
        CompletionStage<byte[]> got = cache.getAsync(bytes, READ_KEEPS_EXPIRY);
        CompletionStage<Boolean> taken = cache.putIfAbsentAsync(bytes, ClusterCodec.claim(reservation), leasePolicy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (await(taken, "reserve")) {
            return new Claimed(null, reservation);      // what the get saw does not matter: not waited for
        }
        byte[] stored = await(got, "get", Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (stored == null) {
            return new Claimed(null, null);
        }
        return new Claimed(ClusterCodec.isClaim(stored) ? new Entry(null, ClusterCodec.claimOf(stored), 0, stored)
                : new Entry(codec.read(stored), null, ClusterCodec.writtenAt(stored), stored), null);
    }

    /** What {@link #getOrReserve} gave: the claim taken, or the entry the key holds. */
    public record Claimed(Entry entry, Reservation reservation) {
    }

    /**
     * What the cluster holds for many keys, asked all at once (one pipelined round: every get is sent before any
     * answer is awaited, and all share one timeout). Keys with nothing are left out; an entry that cannot be read
     * is reported in {@code unreadable}.
     */
    Found getAll(Collection<CacheKey> keys) {
        ICache<byte[], byte[]> cache = cache();
        Map<CacheKey, CompletionStage<byte[]>> asked = new LinkedHashMap<>();
        for (CacheKey key : keys) {
            asked.put(key, cache.getAsync(ClusterCodec.key(key), READ_KEEPS_EXPIRY));
        }
        Map<CacheKey, Entry> entries = new HashMap<>();
        Map<CacheKey, RuntimeException> unreadable = new HashMap<>();
        awaitAll(asked, "get").forEach((key, stored) -> {
            if (stored == null) {
                return;
            }
            try {
                entries.put(key, ClusterCodec.isClaim(stored) ? new Entry(null, ClusterCodec.claimOf(stored), 0, stored)
                        : new Entry(codec.read(stored), null, ClusterCodec.writtenAt(stored), stored));
            } catch (RuntimeException e) {
                unreadable.put(key, e);
            }
        });
        return new Found(entries, unreadable);
    }

    /** What {@link #getAll} found: readable entries, and the keys whose entries could not be read, with why. */
    record Found(Map<CacheKey, Entry> entries, Map<CacheKey, RuntimeException> unreadable) {
    }

    /**
     * Claims many keys for one load, all at once: each absent key ({@code null} in {@code over}) or each exactly
     * over the expired entry given. The claims that were taken; the other keys are held by something else.
     */
    Map<CacheKey, Reservation> reserveAll(Map<CacheKey, Entry> over) {
        ICache<byte[], byte[]> cache = cache();
        Map<CacheKey, Reservation> reservations = new HashMap<>();
        Map<CacheKey, CompletionStage<Boolean>> asked = new LinkedHashMap<>();
        over.forEach((key, expired) -> {
            Reservation reservation = Reservation.create();
            reservations.put(key, reservation);
            asked.put(key, expired == null
                    ? cache.putIfAbsentAsync(ClusterCodec.key(key), ClusterCodec.claim(reservation), leasePolicy)
                    : cache.replaceAsync(ClusterCodec.key(key), expired.raw(), ClusterCodec.claim(reservation),
                            leasePolicy));
        });
        Map<CacheKey, Boolean> taken = awaitAll(asked, "reserve");
        reservations.keySet().removeIf(key -> !taken.get(key));
        return reservations;
    }

    /**
     * Replaces many loads' claims by their entries, all at once, each to live {@code ttl}; for each key whether
     * its claim was still there.
     */
    Map<CacheKey, Boolean> publishAll(Map<CacheKey, Reservation> claims, Map<CacheKey, byte[]> entries, Duration ttl) {
        ICache<byte[], byte[]> cache = cache();
        ExpiryPolicy policy = policyFor(ttl);
        Map<CacheKey, CompletionStage<Boolean>> asked = new LinkedHashMap<>();
        entries.forEach((key, entry) -> asked.put(key, cache.replaceAsync(ClusterCodec.key(key),
                ClusterCodec.claim(claims.get(key)), entry, policy)));
        return awaitAll(asked, "put");
    }

    /**
     * Writes many entries with one bulk put, each to live {@code ttl}, over whatever the keys hold. Hazelcast has
     * no asynchronous form: this waits as long as the cluster does (for background work only).
     */
    void putAll(Map<CacheKey, byte[]> entries, Duration ttl) {
        Map<byte[], byte[]> stored = new LinkedHashMap<>();
        entries.forEach((key, entry) -> stored.put(ClusterCodec.key(key), entry));
        cache().putAll(stored, policyFor(ttl));
    }

    /** Removes each key's entry if it is still exactly the one given; all at once. */
    void removeExactly(Map<CacheKey, byte[]> entries) {
        ICache<byte[], byte[]> cache = cache();
        Map<CacheKey, CompletionStage<Boolean>> asked = new LinkedHashMap<>();
        entries.forEach((key, entry) -> asked.put(key, cache.removeAsync(ClusterCodec.key(key), entry)));
        awaitAll(asked, "remove");
    }

    /** Gives many claims up at once. */
    void releaseAll(Map<CacheKey, Reservation> claims) {
        ICache<byte[], byte[]> cache = cache();
        Map<CacheKey, CompletionStage<Boolean>> asked = new LinkedHashMap<>();
        claims.forEach((key, claim) -> asked.put(key, cache.removeAsync(ClusterCodec.key(key),
                ClusterCodec.claim(claim))));
        awaitAll(asked, "release");
    }

    /** Claims the key for a load; {@code null} when it is taken (by a value or another load). */
    Reservation reserve(CacheKey key) {
        Reservation reservation = Reservation.create();
        return await(cache().putIfAbsentAsync(ClusterCodec.key(key), ClusterCodec.claim(reservation), leasePolicy),
                "reserve") ? reservation : null;
    }

    /** Claims the key by replacing exactly {@code expired}, an entry past its TTL; {@code null} if it changed. */
    Reservation reserveOver(CacheKey key, Entry expired) {
        Reservation reservation = Reservation.create();
        return await(cache().replaceAsync(ClusterCodec.key(key), expired.raw(), ClusterCodec.claim(reservation),
                leasePolicy), "reserve") ? reservation : null;
    }

    /** The entry that holds {@code stored}, written now in the cache's form: deflated above the cache's threshold. */
    byte[] encode(Object stored) {
        return codec.entry(stored, valueForm, compressAbove, System.currentTimeMillis());
    }

    /**
     * Replaces the load's claim by its entry (see {@link #encode}), to live {@code ttl}.
     *
     * @return whether the claim was still there, i.e. no invalidation (or lease expiry) came in between
     */
    boolean publish(CacheKey key, Reservation reservation, byte[] entry, Duration ttl) {
        return await(cache().replaceAsync(ClusterCodec.key(key), ClusterCodec.claim(reservation), entry,
                policyFor(ttl)), "publish");
    }

    /** Puts {@code expired} back in place of the load's claim, to live {@code ttl} more. */
    boolean restore(CacheKey key, Reservation reservation, Entry expired, Duration ttl) {
        return await(cache().replaceAsync(ClusterCodec.key(key), ClusterCodec.claim(reservation), expired.raw(),
                policyFor(ttl)), "restore");
    }

    /**
     * Replaces exactly {@code old} by a refreshed entry, to live {@code ttl}.
     *
     * @return whether {@code old} was still there: no invalidation, load or other refresh came in between
     */
    boolean replace(CacheKey key, Entry old, byte[] entry, Duration ttl) {
        return await(cache().replaceAsync(ClusterCodec.key(key), old.raw(), entry, policyFor(ttl)), "refresh");
    }

    /**
     * Marks the key as being refreshed, so that one node in the cluster reloads it; {@code null} when another
     * refresh holds the mark. The mark is an entry of its own (under a key no value can have) and expires after
     * the load lease if its node dies.
     */
    Reservation markRefresh(CacheKey key) {
        Reservation reservation = Reservation.create();
        return await(cache().putIfAbsentAsync(ClusterCodec.refreshMark(key), ClusterCodec.claim(reservation),
                leasePolicy), "refresh mark") ? reservation : null;
    }

    void unmarkRefresh(CacheKey key, Reservation reservation) {
        await(cache().removeAsync(ClusterCodec.refreshMark(key), ClusterCodec.claim(reservation)), "refresh mark");
    }

    private ExpiryPolicy policyFor(Duration ttl) {
        return ttlPolicies.computeIfAbsent(ttl, t -> new ModifiedExpiryPolicy(toJCache(t)));
    }

    /** Gives the claim up (the load failed or its transaction rolled back); whether it was still there. */
    boolean release(CacheKey key, Reservation reservation) {
        return await(cache().removeAsync(ClusterCodec.key(key), ClusterCodec.claim(reservation)), "release");
    }

    void invalidate(CacheKey key) {
        await(cache().removeAsync(ClusterCodec.key(key)), "invalidate");
    }

    /** Drops every entry; Hazelcast offers no asynchronous form, so this one waits as long as the cluster does. */
    void invalidateAll() {
        cache().clear();
    }

    /** Awaits operations sent together, all within one timeout. */
    private <T> Map<CacheKey, T> awaitAll(Map<CacheKey, CompletionStage<T>> operations, String what) {
        roundTrips.increment();                         // sent together, awaited together: one round
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Map<CacheKey, T> results = new HashMap<>();
        for (Map.Entry<CacheKey, CompletionStage<T>> operation : operations.entrySet()) {
            long left = Math.max(0, deadline - System.nanoTime());
            results.put(operation.getKey(), await(operation.getValue(), what, left, TimeUnit.NANOSECONDS));
        }
        return results;
    }

    /** Awaits one operation: one round trip (counted), within the cache's timeout. */
    private <T> T await(CompletionStage<T> operation, String what) {
        roundTrips.increment();
        return await(operation, what, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * How many rounds this node has awaited from the cluster for this cache: one per operation, and one for
     * operations sent together (a get with its claim, a batch of keys). Invalidation messages, tag and entity
     * versions are not counted here.
     */
    public long roundTrips() {
        return roundTrips.sum();
    }

    private <T> T await(CompletionStage<T> operation, String what, long timeout, TimeUnit unit) {
        try {
            return operation.toCompletableFuture().get(timeout, unit);
        } catch (TimeoutException e) {
            throw new ClusterTimeoutException("cluster " + what + " on cache '" + name + "' took more than "
                    + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new CacheException("cluster " + what + " on cache '" + name + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while waiting for the cluster", e);
        }
    }

    /** A cluster operation that did not answer within the configured timeout. */
    static final class ClusterTimeoutException extends CacheException {
        private static final long serialVersionUID = 1L;

        ClusterTimeoutException(String message) {
            super(message);
        }
    }

    /**
     * The cache, obtained on first use. Obtaining it is a cluster operation too: while the cluster hangs, a call
     * waits for it at most the cluster timeout, and the attempt goes on in the background for the next call.
     */
    private ICache<byte[], byte[]> cache() {
        ICache<byte[], byte[]> current = cache;
        if (current != null && !current.isDestroyed()) {
            return current;
        }
        CompletableFuture<ICache<byte[], byte[]>> attempt;
        synchronized (this) {
            if (obtaining == null || obtaining.isCompletedExceptionally()
                    || obtaining.isDone() && obtaining.join().isDestroyed()) {
                obtaining = CleanContext.start(this::obtain);
            }
            attempt = obtaining;
        }
        try {
            current = CleanContext.await(attempt, timeoutMillis);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new ClusterTimeoutException("obtaining cache '" + name + "' from the cluster took more than "
                        + timeoutMillis + " ms; it goes on in the background");
            }
            throw e;
        }
        cache = current;
        return current;
    }

    @SuppressWarnings("unchecked")
    private ICache<byte[], byte[]> obtain() {
        Cache<byte[], byte[]> existing = manager.getCache(name);
        if (existing == null) {
            CacheConfig<byte[], byte[]> config = new CacheConfig<>();
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
