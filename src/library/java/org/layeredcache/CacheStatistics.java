package org.layeredcache;

/**
 * What one cache did on this node since the application started: a snapshot, taken by
 * {@link CacheAdmin#statistics(String)}. Each {@code @CachedRead} call is counted exactly once, in the layer
 * that answered it: {@code requestHits + nearHits + clusterHits + loads + sharedLoads} is the number of calls; a
 * read of many keys ({@link CachedRead#each()}) counts once per distinct key, where that key was answered.
 *
 * @param cache         the cache's name
 * @param requestHits   calls answered by the current request's layer
 * @param nearHits      calls answered by this node's near layer
 * @param clusterHits   calls answered by the cluster layer
 * @param loads         calls that ran the method because every layer missed (or the cache is disabled)
 * @param sharedLoads   calls that waited for another call's load of the same key on this node and got its
 *                      result (single flight) instead of running the method
 * @param invalidations keys or whole-cache invalidations carried out on this node (after commit)
 * @param faults        cache-layer failures that were absorbed: each one turned a hit into a miss or left a
 *                      value unpublished, and never changed a result
 * @param waitsGivenUp  calls that stopped waiting for another load of their key (on this node or another) after
 *                      {@code load.wait} and ran the method themselves (among {@code loads})
 * @param staleServed   loads that threw and were answered with an entry past its TTL ({@code staleIfError})
 * @param oversized     loaded values kept out of the cluster layer because they were larger than
 *                      {@code cluster.max-value-size}
 * @param refreshes     background reloads of old entries ({@code refreshAfter}) that ran the method on this node;
 *                      not calls, so not part of {@link #calls()}
 * @param invalidationsReceived other nodes' invalidations of this cache applied to this node's near layer
 * @param waits         times a call started waiting for another load of its key: a load in flight on this node,
 *                      or another node's claim in the cluster (a call may wait once for each)
 * @param preloaded     entries a bulk preload ({@link CacheTasks#preload}) wrote to the cluster from this node
 * @param preloadChunks the bulk puts that wrote them, one per chunk
 * @param droppedByTags entries a read on this node found dropped by the invalidation of one of their
 *                      {@link CachedRead#tags() tags}, once per layer that held one (the read then went on to
 *                      the next layer)
 * @param nearDroppedForLostMessages times this node dropped its near layer of the cache whole because invalidation
 *                      messages of another node were found lost (numbers skipped), which may have named any key
 * @param uncachedCalls calls whose {@link CachedRead#condition() condition} was false: the method ran and no layer
 *                      was asked; not part of {@link #calls()}
 * @param notCached     loads whose value {@link CachedRead#unless() unless} kept out of every layer (among
 *                      {@code loads}; a refresh-ahead's value too)
 * @param nearRenewals  near copies renewed from the cluster in the background before they expired, because a call
 *                      read them in the last fifth of their life ({@code near.renew}); not calls
 */
public record CacheStatistics(String cache, long requestHits, long nearHits, long clusterHits, long loads,
                              long sharedLoads, long invalidations, long faults, long waitsGivenUp,
                              long staleServed, long oversized, long refreshes, long invalidationsReceived,
                              long waits, long preloaded, long preloadChunks, long droppedByTags,
                              long nearDroppedForLostMessages, long uncachedCalls, long notCached,
                              long nearRenewals) {

    /** All calls counted: {@code requestHits + nearHits + clusterHits + loads + sharedLoads}. */
    public long calls() {
        return requestHits + nearHits + clusterHits + loads + sharedLoads;
    }
}
