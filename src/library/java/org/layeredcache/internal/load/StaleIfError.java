package org.layeredcache.internal.load;

import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.Layers;

import java.time.Duration;

/**
 * Fail-safe ({@code staleIfError}): the cluster keeps an entry that long past its TTL; reads treat it as missing
 * and load, and when that load throws, the expired value answers instead of the exception (counted, logged once
 * per cause) and goes back in place of the load's claim for the next attempt. Expiry is told by the time the
 * entry was written. The near layer keeps no expired entries. Thread-safe.
 */
public final class StaleIfError {

    private final Layers layers;
    private final Publication publication;

    public StaleIfError(Layers layers, Publication publication) {
        this.layers = layers;
        this.publication = publication;
    }

    /** Whether a cluster value is past its TTL (only told apart when expired entries are kept at all). */
    public static boolean expired(EntryTimes times, ClusterLayer.Entry entry) {
        return !times.staleIfError().isZero()
                && System.currentTimeMillis() - entry.writtenAt() >= times.ttl().toMillis();
    }

    /**
     * The value that answers for a failed load, or {@code null} when there is none: the expired entry the load's
     * claim replaced, if it is still young enough. It is counted, and put back in the cluster in place of the claim
     * for the time it has left (else the claim is released).
     */
    public Object standIn(KeyRead read, Publication.Load load, Exception failure) {
        ClusterLayer.Entry expired = load.expired();
        if (expired == null || System.currentTimeMillis() - expired.writtenAt() >= read.times().kept().toMillis()) {
            return null;
        }
        layers.counters().staleServed(load.key(), failure);
        Duration left = Duration.ofMillis(expired.writtenAt() + read.times().kept().toMillis()
                - System.currentTimeMillis());
        if (load.reservation() != null && !load.withoutCluster() && !left.isNegative() && !left.isZero()) {
            layers.cluster().restore(load.key(), load.reservation(), expired, left);
        } else {
            publication.release(load);
        }
        return expired.value();
    }
}
