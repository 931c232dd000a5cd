package org.layeredcache;

import java.time.Instant;

/**
 * How one counter's flushing goes ({@link Counters#status}).
 *
 * @param counter         the counter's name
 * @param pendingKeys     keys with additions in the cluster that no flush has persisted, when last looked
 * @param pendingSum      the sum of those additions
 * @param lastFlush       when a flush last committed on this node, or {@code null}
 * @param flushes         flushes that committed on this node
 * @param failedFlushes   flushes that failed on this node (their additions stayed in the cluster)
 * @param persisted       the sum of the additions persisted by this node's flushes
 * @param lastError       why the last failed flush failed, or {@code null} once one succeeded after it
 * @param notInCluster    additions (of every counter) that this node could not write to the cluster; it kept them and
 *                        wrote them later (a cluster fault, logged once per cause)
 * @param flushingNode    whether this node is the one that flushes
 */
public record CounterStatus(String counter, long pendingKeys, long pendingSum, Instant lastFlush, long flushes,
                            long failedFlushes, long persisted, String lastError, long notInCluster,
                            boolean flushingNode) {
}
