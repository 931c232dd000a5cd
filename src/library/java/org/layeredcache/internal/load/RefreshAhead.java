package org.layeredcache.internal.load;

import org.layeredcache.internal.cluster.Reservation;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.NearLayer;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Refresh-ahead ({@code refreshAfter}) of one cache, all of it: once a read answers with an entry older than its
 * refresh-after, one background reload of the key starts, while the read answers at once.
 * <ol>
 *   <li>At most one reload per key runs on this node, on the server's executor; one per cluster: a mark in the
 *       cluster says which node reloads, and an entry another node has refreshed meanwhile only fills this node's
 *       near layer.</li>
 *   <li>The reload calls the method again through the bean (its interceptors and transaction attributes apply), in
 *       a transaction of its own. When that call reaches the cache, {@link #claim} hands it the refresh it belongs
 *       to, and {@link #reload} runs the method instead of answering from the layers.</li>
 *   <li>Once its transaction commits, the value replaces exactly the entry the refresh found old
 *       ({@link Publication#publishReplacing}): an invalidation, a load or another refresh in between wins.</li>
 * </ol>
 * A failing reload changes nothing; it is counted and logged once per cause as a fault. Thread-safe.
 */
public final class RefreshAhead {

    /**
     * One refresh in progress.
     *
     * @param owner the refreshing cache's refresh-ahead
     * @param entry the cluster entry it replaces, or {@code null} when the cluster was not reached
     * @param stamp the near layer's stamp, taken before the cluster was read
     * @param read  the read that found the entry old
     */
    public record Refresh(RefreshAhead owner, CacheKey key, ClusterLayer.Entry entry, long stamp, KeyRead read) {
    }

    private static final ThreadLocal<Refresh> CURRENT = new ThreadLocal<>();

    private final Set<CacheKey> running = ConcurrentHashMap.newKeySet();
    private final Layers layers;
    private final Executor executor;
    private final Publication publication;

    public RefreshAhead(Layers layers, Executor executor, Publication publication) {
        this.layers = layers;
        this.executor = executor;
        this.publication = publication;
    }

    /** Whether a value written then ({@code writtenAt}, epoch milliseconds) is old enough to be refreshed. */
    public static boolean old(EntryTimes times, long writtenAt) {
        return times.refreshes() && System.currentTimeMillis() - writtenAt >= times.refreshAfter().toMillis();
    }

    /** Starts one background reload if the entry a read answered with is older than its refresh-after. */
    public void ifOld(KeyRead read, long writtenAt) {
        if (!read.async() && old(read.times(), writtenAt) && !running.contains(read.key())) {
            Callable<Object> again = read.reinvocation().get();   // taken now, while the call is still on
            start(read.key(), () -> {
                refresh(read, again);
                return null;
            });
        }
    }

    /**
     * The refresh this call of the cache's method belongs to, or {@code null} for an ordinary call. Taken, so that
     * nested calls read as usual.
     */
    public Refresh claim(CacheKey key) {
        Refresh refresh = CURRENT.get();
        if (refresh == null || refresh.owner() != this || !refresh.key().equals(key)) {
            return null;
        }
        CURRENT.remove();
        return refresh;
    }

    /** The method's part of a refresh: runs it, and once its transaction commits, publishes what it returned. */
    public Object reload(Refresh refresh, java.util.function.Supplier<String[]> tags, boolean trackEntities,
                         Callable<Object> method)
            throws Exception {
        layers.counters().refresh();
        long started = System.nanoTime();
        Object stored = layers.load(method, tags, trackEntities);
        layers.counters().loaded(System.nanoTime() - started);
        KeyRead read = refresh.read();
        if (read.keepsOut(stored, layers.counters())) {
            return stored;                               // published nowhere; the old entry stays until it expires
        }
        layers.transactions().afterCompletion(() -> publication.publishReplacing(refresh.key(), refresh.entry(),
                stored, refresh.stamp(), read.ttl(), read.times().kept()), () -> { });
        return stored;
    }

    /** Starts {@code work} in the background unless a refresh of the key is already running on this node. */
    private void start(CacheKey key, Callable<Void> work) {
        if (!running.add(key)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    work.call();
                } catch (Exception | LinkageError e) {
                    layers.counters().fault("refresh-ahead", e);
                } finally {
                    running.remove(key);
                }
            });
        } catch (RejectedExecutionException e) {
            running.remove(key);
            layers.counters().fault("starting a refresh-ahead", e);
        }
    }

    /**
     * In the background: reloads the key unless the cluster says it need not be, or another node's refresh holds
     * the key's refresh mark. An entry the cluster already holds fresh (another node refreshed it) only fills
     * this node's near layer.
     */
    private void refresh(KeyRead read, Callable<Object> again) throws Exception {
        CacheKey key = read.key();
        NearLayer near = layers.nearNow();
        GuardedCluster cluster = layers.cluster();
        long stamp = near.stamp(key);
        ClusterLayer.Entry current = null;
        Reservation mark = null;
        GuardedCluster.Reached<ClusterLayer.Entry> found = cluster.get(key);
        if (found.reached()) {
            current = found.value();
            if (current == null || current.isClaim()) {
                return;                                      // dropped, or being loaded: the next read loads it
            }
            if (!old(read.times(), current.writtenAt())) {
                near.publish(key, current.value(), current.raw().length, current.writtenAt(), stamp, read.ttl());
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
                    || !old(read.times(), now.value().writtenAt())) {
                cluster.unmarkRefresh(key, mark);
                return;
            }
            current = now.value();
        }
        try {
            callAgain(new Refresh(this, key, current, stamp, read), again);
        } finally {
            if (mark != null) {
                cluster.unmarkRefresh(key, mark);
            }
        }
    }

    /** Calls the method again through the bean ({@code again}), in a transaction of its own. */
    private void callAgain(Refresh refresh, Callable<Object> again) throws Exception {
        CURRENT.set(refresh);
        try {
            layers.transactions().inOwnTransaction(again);
        } finally {
            CURRENT.remove();
        }
    }
}
