package org.layeredcache;

import java.time.Instant;

/**
 * How one counter's flushing goes ({@link Counters#status}).
 *
 * @param counter         the counter's name
 * @param pendingKeys     keys with additions in the cluster that no flush has persisted yet, now
 * @param pendingSum      the sum of those additions
 * @param lastFlush       when a flush of the flushing node last committed, or {@code null}
 * @param flushes         flushes of the flushing node that committed (since it started)
 * @param failedFlushes   flushes of the flushing node that failed (their additions stayed in the cluster),
 *                        those that gave way to another node's flush of the same additions included
 * @param persisted       the sum of the additions the flushing node persisted
 * @param lastError       why its last flush failed, or {@code null} once one succeeded after it
 * @param flushedBy       the node those figures are from (the one that flushed last), or {@code null} before any
 *                        flush
 * @param notInCluster    additions (of every counter) that this node could not write to the cluster; it kept them and
 *                        wrote them later (a cluster fault, logged once per cause)
 * @param flushingNode    whether this node is the one that flushes
 */
public record CounterStatus(String counter, long pendingKeys, long pendingSum, Instant lastFlush, long flushes,
                            long failedFlushes, long persisted, String lastError, String flushedBy, long notInCluster,
                            boolean flushingNode) {

    /**
     * How far the database is behind: the time since the last committed flush while something is pending (every
     * flush takes all that is pending when it starts), else zero.
     */
    public java.time.Duration lag(Instant now) {
        if (pendingSum == 0 && pendingKeys == 0) {
            return java.time.Duration.ZERO;
        }
        return lastFlush == null ? java.time.Duration.ZERO : java.time.Duration.between(lastFlush, now);
    }
}
