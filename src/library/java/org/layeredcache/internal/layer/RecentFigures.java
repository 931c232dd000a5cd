package org.layeredcache.internal.layer;

/**
 * What one cache did on this node over the last minutes, for the dashboard.
 *
 * @param minutes          the window: the current minute and the ones before it
 * @param loads            method runs (loads and refreshes)
 * @param faults           cache faults
 * @param delays           invalidations received from other nodes
 * @param delayTotalMillis their delays from publication to application, summed
 * @param delayMaxMillis   the largest of those delays
 */
public record RecentFigures(int minutes, long loads, long faults, long delays, long delayTotalMillis,
                            long delayMaxMillis) {
}
