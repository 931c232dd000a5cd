package org.layeredcache.internal.load;

import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.NearLayer;
import org.layeredcache.internal.layer.TagVersions;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renewal of one cache's near copies before they expire ({@code near.renew}, on by default): a near hit on a copy
 * in the last fifth of its life answers at once, and sends two questions to the cluster, the key's entry and the
 * versions of the copy's tags; where the answers arrive, the entry is stored near with a new life, and this node
 * trusts those versions for another near TTL. When the entry is the very write the copy was read from, the copy's
 * object is kept rather than a new one read from the entry's bytes: no deserialization, and no new object for the
 * collector to copy from one young generation to the next while it lives. A key read more often than that keeps
 * its near copy, so its readers
 * never wait for the cluster because the near TTL ran out; the cluster is read as often as without renewal (once
 * per key and near TTL), only not on a reader's thread, and no thread is started or handed work for it.
 *
 * <p>The near TTL still bounds how long a lost invalidation message can leave this node stale: a renewal reads the
 * cluster anew, and stores under the near layer's stamp taken before it asked, so an invalidation that lands in
 * between refuses what it read ({@link NearLayer#publish}). A renewal that finds no entry, another load's claim, an
 * entry past its TTL, one whose tags' versions are not the copy's, or a tag the cluster has a newer version of,
 * stores nothing: the copy expires and the next read goes down the layers as usual.
 *
 * <p>At most one renewal per key is on its way from this node. A failure is counted and logged once per cause as a
 * fault; the copy then simply expires. Thread-safe.
 */
public final class NearRenewal {

    private final Set<CacheKey> running = ConcurrentHashMap.newKeySet();
    private final Layers layers;
    private final boolean enabled;

    public NearRenewal(Layers layers, boolean enabled) {
        this.layers = layers;
        this.enabled = enabled;
    }

    /**
     * Sends the renewal of the near copy a read of {@code key} answered with, if it is due and none is on its way.
     *
     * @param times the read's entry times, configuration applied
     */
    public void ifDue(CacheKey key, EntryTimes times, NearLayer.Entry copy) {
        if (!enabled || !copy.dueForRenewal() || !layers.cluster().present() || !running.add(key)) {
            return;
        }
        NearLayer near = layers.nearNow();
        long stamp = near.stamp(key);                    // before the cluster is asked: an invalidation refuses it
        CompletableFuture<byte[]> stored;
        CompletableFuture<Boolean> tags;
        try {
            stored = layers.cluster().storedLater(key);
            tags = layers.tags().renewLater(copy.value(), layers.counters());
        } catch (RuntimeException e) {
            running.remove(key);
            layers.counters().fault("cluster read renewing a near copy", e);
            return;
        }
        stored.thenCombine(tags, (bytes, tagsCurrent) -> {
                    if (!tagsCurrent || bytes == null) {
                        return false;
                    }
                    ClusterLayer.Entry found = entry(copy, bytes);
                    return found != null && !found.isClaim() && !StaleIfError.expired(times, found)
                            && TagVersions.sameTags(copy.value(), found.value())
                            && near.publish(key, found.value(), bytes.length, found.writtenAt(), stamp, times.ttl());
                })
                .whenComplete((renewed, failure) -> {
                    running.remove(key);
                    if (failure != null) {
                        layers.counters().fault("cluster read renewing a near copy", failure instanceof CompletionException
                                && failure.getCause() != null ? failure.getCause() : failure);
                    } else if (renewed) {
                        layers.counters().nearRenewal();
                    }
                });
    }

    /**
     * The entry {@code stored} holds: the copy's own value when it is the write the copy was read from, else
     * read from the bytes.
     */
    private ClusterLayer.Entry entry(NearLayer.Entry copy, byte[] stored) {
        if (!ClusterCodec.isClaim(stored)) {
            long writtenAt = ClusterCodec.writtenAt(stored);
            if (copy.sameWrite(writtenAt, stored.length)) {
                return new ClusterLayer.Entry(copy.value(), null, writtenAt, stored);
            }
        }
        return layers.cluster().entryOf(stored);
    }
}
