package org.layeredcache.internal.counter;

import org.layeredcache.CounterStatus;

import java.time.Instant;

/** How one counter's flushes went on this node: the figures of its {@link CounterStatus}. Thread-safe. */
final class CounterFigures {

    private final String counter;
    private Instant lastFlush;
    private long flushes;
    private long failed;
    private long persisted;
    private String lastError;

    CounterFigures(String counter) {
        this.counter = counter;
    }

    synchronized void committed(long sum, Instant at) {
        flushes++;
        persisted += sum;
        lastFlush = at;
        lastError = null;
    }

    synchronized void failed(String why) {
        failed++;
        lastError = why;
    }

    /** The status, with the pending figures as the caller found them in the cluster. */
    synchronized CounterStatus status(long pendingKeys, long pendingSum, long notInCluster, boolean flushingNode) {
        return new CounterStatus(counter, pendingKeys, pendingSum, lastFlush, flushes, failed, persisted, lastError,
                notInCluster, flushingNode);
    }
}
