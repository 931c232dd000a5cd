package org.layeredcache.internal.load;

import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.NearLayer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Renewal of one cache's near copies before they expire ({@code near.renew}, on by default): a near hit on a copy
 * in the last fifth of its life answers at once, and the key's cluster entry is read in the background and stored
 * near with a new life. A key read more often than that keeps its near copy, so its readers never wait for the
 * cluster because the near TTL ran out; the cluster is read as often as without renewal (once per key and near
 * TTL), only not on a caller's thread.
 *
 * <p>The near TTL still bounds how long a lost invalidation message can leave this node stale: a renewal reads the
 * cluster anew, and stores under the near layer's stamp taken before that read, so an invalidation that lands in
 * between refuses what it read ({@link NearLayer#publish}). A renewal that finds no entry, another load's claim, an
 * entry past its TTL or one of whose tags was invalidated stores nothing: the copy expires and the next read goes
 * down the layers as usual.
 *
 * <p>At most one renewal per key runs on this node, on the server's executor. A failure is counted and logged once
 * per cause as a fault; the copy then simply expires. Thread-safe.
 */
public final class NearRenewal {

    private final Set<CacheKey> running = ConcurrentHashMap.newKeySet();
    private final Layers layers;
    private final Executor executor;
    private final boolean enabled;

    public NearRenewal(Layers layers, Executor executor, boolean enabled) {
        this.layers = layers;
        this.executor = executor;
        this.enabled = enabled;
    }

    /** Starts the background renewal of the near copy a read answered with, if it is due and none runs. */
    public void ifDue(KeyRead read, NearLayer.Entry copy) {
        if (!enabled || !copy.dueForRenewal() || !layers.cluster().present() || !running.add(read.key())) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    renew(read);
                } catch (RuntimeException | LinkageError e) {
                    layers.counters().fault("renewing a near copy", e);
                } finally {
                    running.remove(read.key());
                }
            });
        } catch (RejectedExecutionException e) {
            running.remove(read.key());
            layers.counters().fault("starting the renewal of a near copy", e);
        }
    }

    private void renew(KeyRead read) {
        CacheKey key = read.key();
        NearLayer near = layers.nearNow();
        long stamp = near.stamp(key);                    // before the cluster is read: an invalidation refuses it
        GuardedCluster.Reached<ClusterLayer.Entry> found = layers.cluster().get(key);
        ClusterLayer.Entry entry = found.reached() ? found.value() : null;
        if (entry == null || entry.isClaim() || StaleIfError.expired(read.times(), entry)
                || !layers.current(entry.value())) {
            return;
        }
        if (near.publish(key, entry.value(), entry.raw().length, entry.writtenAt(), stamp, read.ttl())) {
            layers.counters().nearRenewal();
        }
    }
}
