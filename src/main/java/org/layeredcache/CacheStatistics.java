package org.layeredcache;

/**
 * What one cache did on this node since the application started: a snapshot, taken by
 * {@link CacheAdmin#statistics(String)}. Each {@code @CachedRead} call is counted exactly once, in the layer
 * that answered it: {@code requestHits + nearHits + clusterHits + loads} is the number of calls.
 *
 * @param cache         the cache's name
 * @param requestHits   calls answered by the current request's layer
 * @param nearHits      calls answered by this node's near layer
 * @param clusterHits   calls answered by the cluster layer
 * @param loads         calls that ran the method because every layer missed (or the cache is disabled)
 * @param invalidations keys or whole-cache invalidations carried out on this node (after commit)
 * @param faults        cache-layer failures that were absorbed: each one turned a hit into a miss or left a
 *                      value unpublished, and never changed a result
 */
public record CacheStatistics(String cache, long requestHits, long nearHits, long clusterHits, long loads,
                              long invalidations, long faults) {

    /** All calls counted: {@code requestHits + nearHits + clusterHits + loads}. */
    public long calls() {
        return requestHits + nearHits + clusterHits + loads;
    }
}
