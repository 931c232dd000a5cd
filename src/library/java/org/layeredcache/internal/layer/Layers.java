package org.layeredcache.internal.layer;

import org.layeredcache.internal.stats.CacheCounters;
import org.layeredcache.internal.stats.Recordings;

import java.util.function.BooleanSupplier;

/**
 * One cache's layers on this node and what works beside them, as its reads, refreshes and preloads share them:
 * the near layer and the guarded cluster layer (each an object that answers "absent" when the cache has none),
 * the transaction timing, the counters and the recordings. Its parts are thread-safe.
 *
 * @param cache              the cache's name
 * @param hearsInvalidations whether this node hears the other nodes' invalidations now (see {@link #nearNow()})
 */
public record Layers(String cache, NearLayer near, GuardedCluster cluster, Transactions transactions,
                     CacheCounters counters, Recordings recordings, BooleanSupplier hearsInvalidations) {

    /**
     * The near layer a read may use now: absent while this node does not yet hear the other nodes' invalidations
     * (it would not learn of their writes).
     */
    public NearLayer nearNow() {
        return hearsInvalidations.getAsBoolean() ? near : NearLayer.absent();
    }
}
