package org.layeredcache.internal.load;

import org.layeredcache.internal.cache.LayeredCache;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.Transactions;
import org.layeredcache.internal.stats.CacheCounters;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Background reloads of one cache's old entries (refresh-ahead): at most one per key on this node at a time, on
 * the server's executor, each in a transaction of its own. A reload calls the method again through the bean;
 * when that call reaches the cache, {@link #claim} hands it the refresh it belongs to, so the cache loads and
 * publishes instead of answering from its layers. Which node of the cluster reloads, and how the value is
 * published, is {@link LayeredCache}'s business. A failing reload changes nothing; it is counted and logged
 * once per cause as a fault. Thread-safe.
 */
public final class RefreshAhead {

    /**
     * One refresh in progress.
     *
     * @param cache          the cache being refreshed
     * @param key            its key
     * @param entry          the cluster entry it replaces, or {@code null} when the cluster was not reached
     * @param stamp          the near layer's stamp, taken before the cluster was read
     * @param read           the read that found the entry old
     */
    public record Refresh(LayeredCache cache, CacheKey key, ClusterLayer.Entry entry, long stamp, LayeredCache.Read read) {
    }

    private static final ThreadLocal<Refresh> CURRENT = new ThreadLocal<>();

    private final Set<CacheKey> running = ConcurrentHashMap.newKeySet();
    private final Executor executor;
    private final Transactions transactions;
    private final CacheCounters counters;

    public RefreshAhead(Executor executor, Transactions transactions, CacheCounters counters) {
        this.executor = executor;
        this.transactions = transactions;
        this.counters = counters;
    }

    /** Starts {@code work} in the background unless a refresh of the key is already running on this node. */
    public void start(CacheKey key, Callable<Void> work) {
        if (!running.add(key)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    work.call();
                } catch (Exception | LinkageError e) {
                    counters.fault("refresh-ahead", e);
                } finally {
                    running.remove(key);
                }
            });
        } catch (RejectedExecutionException e) {
            running.remove(key);
            counters.fault("starting a refresh-ahead", e);
        }
    }

    /** Calls the method again through the bean ({@code reinvocation}), in a transaction of its own. */
    public void reload(Refresh refresh, Callable<Object> reinvocation) throws Exception {
        CURRENT.set(refresh);
        try {
            transactions.inOwnTransaction(reinvocation);
        } finally {
            CURRENT.remove();
        }
    }

    /** The refresh this call of {@code cache} for {@code key} belongs to (taken, so nested calls read as usual). */
    public static Refresh claim(LayeredCache cache, CacheKey key) {
        Refresh refresh = CURRENT.get();
        if (refresh == null || refresh.cache() != cache || !refresh.key().equals(key)) {
            return null;
        }
        CURRENT.remove();
        return refresh;
    }

    /** Whether a refresh of the key is running on this node. */
    public boolean running(CacheKey key) {
        return running.contains(key);
    }
}
