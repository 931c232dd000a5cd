package org.layeredcache.internal.stats;

/**
 * What one cache did on this node over the last minutes, for the dashboard.
 *
 * @param minutes          the window: the current minute and the ones before it
 * @param loads            loads, as {@code CacheStatistics.loads} counts them: one per call (or per id of a read
 *                         of many) that missed every layer
 * @param faults           cache faults
 * @param delays           invalidations received from other nodes
 * @param delayTotalMillis their delays from publication to application, summed
 * @param delayMaxMillis   the largest of those delays
 */
public record RecentFigures(int minutes, long loads, long faults, long delays, long delayTotalMillis,
                            long delayMaxMillis) {
}
