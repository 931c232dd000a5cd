package org.layeredcache.internal.counter;

import org.layeredcache.CounterStatus;

import java.time.Instant;

/**
 * How one counter's flushes went on the node that flushes it: flushes committed and failed, the sum persisted,
 * the last commit and the last error. The flushing node shares them through the cluster as text
 * ({@link #text}), so that every node reports the same. Thread-safe.
 */
final class CounterFigures {

    /** The cluster map of each counter's figures, as the node that flushed last wrote them. */
    static final String SHARED = "layered-cache-counter-figures";

    private final String counter;
    private long flushes;
    private long failed;
    private long persisted;
    private Instant lastFlush;
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

    /** The figures as text, with the name of the node they are from. */
    synchronized String text(String node) {
        return String.join("\n", node == null ? "" : node, Long.toString(flushes), Long.toString(failed), Long.toString(persisted),
                lastFlush == null ? "" : Long.toString(lastFlush.toEpochMilli()), lastError == null ? "" : lastError);
    }

    /** This node's figures, as another node would read them from {@link #text}. */
    synchronized Shared shared(String node) {
        return Shared.read(text(node));
    }

    /** Figures as a node shared them. */
    record Shared(String node, long flushes, long failed, long persisted, Instant lastFlush, String lastError) {

        static Shared read(String text) {
            String[] parts = text.split("\n", 6);
            return new Shared(parts[0].isEmpty() ? null : parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                    parts[4].isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(parts[4])),
                    parts[5].isEmpty() ? null : parts[5]);
        }

        /** The status, with the pending figures as the caller found them in the cluster. */
        CounterStatus status(String counter, long pendingKeys, long pendingSum, long notInCluster,
                             boolean flushingNode) {
            return new CounterStatus(counter, pendingKeys, pendingSum, lastFlush, flushes, failed, persisted,
                    lastError, node, notInCluster, flushingNode);
        }
    }
}
