package org.layeredcache.internal.stats;

/**
 * One cache's state on this node, for health checks and operators.
 *
 * @param cache              the cache's name
 * @param cluster            {@code "closed"} (the cluster layer is used), {@code "open"} (kept off it after a failure,
 *                           until the retry time) or {@code "off"} (no cluster layer)
 * @param keptInvalidations  invalidations that could not reach the cluster and wait to be replayed
 *                           ({@code -1}: every entry, more than could be kept one by one)
 * @param lastFault          the last absorbed fault (when, operation, exception), or {@code null} for none
 */
public record CacheHealth(String cache, String cluster, int keptInvalidations, String lastFault) {
}
