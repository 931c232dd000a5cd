package org.layeredcache;

import java.time.Duration;
import java.time.Instant;

/**
 * How persisting one kind of shared object ({@link SharedObjects}) goes.
 *
 * @param name          the kind's name
 * @param pending       objects changed in the cluster and not yet persisted
 * @param lag           how long the oldest of them has waited ({@link Duration#ZERO} when none waits)
 * @param maxLag        {@code layered-cache.objects.max-lag}: the bound the lag should stay under
 * @param lastStore     when a store of this kind last committed on the storing node, or {@code null}
 * @param stores        stores committed, as the storing node counted them
 * @param failedStores  stores that failed (nothing of them counted as persisted)
 * @param writes        writes of changed objects to the cluster made by this node (one per object and request)
 * @param retries       writes this node made again because another node wrote the object meanwhile
 * @param keptOnNode    requests' changes to one object that did not reach the cluster (a lock held too long, the
 *                      cluster or the load method failing), kept on this node and written again each store period
 * @param failedWrites  requests' changes this node could not write because a change function threw (logged; lost)
 * @param lastError     the last store's failure, {@code null} once a store succeeded
 * @param storingNode   whether this node is the one that stores
 */
public record SharedObjectStatus(String name, int pending, Duration lag, Duration maxLag, Instant lastStore,
                                 long stores, long failedStores, long writes, long retries, int keptOnNode,
                                 long failedWrites,
                                 String lastError,
                                 boolean storingNode) {

    /** Whether the database has fallen behind the cluster by more than {@link #maxLag}. */
    public boolean lagExceeded() {
        return lag.compareTo(maxLag) > 0;
    }
}
