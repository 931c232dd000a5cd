package org.layeredcache.internal.cluster;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many invalidation messages of each other node this node has missed. Every node numbers the invalidation
 * messages it sends (1, 2, 3, ...) and, every heartbeat period, tells the others the number of its last one; a
 * receiver that finds a number skipped, or a heartbeat naming a message it never got, has lost those messages.
 *
 * <p>A node heard of for the first time is judged by when it started (each message says so, in the cluster's
 * time): one that started after this node began listening should have been heard from its first message on, so
 * what came before the first one heard was lost (its first messages after a restart, say); one that started
 * earlier is trusted from the number it comes with. Thread-safe; a node's messages arrive in order (Hazelcast
 * delivers one member's messages of a topic in the order it published them).
 */
final class SenderSequences {

    private final Map<UUID, Long> last = new ConcurrentHashMap<>();
    private final long listeningSince;

    /** @param listeningSince when this node began listening, in the cluster's time (epoch milliseconds) */
    SenderSequences(long listeningSince) {
        this.listeningSince = listeningSince;
    }

    /**
     * Message number {@code sequence} of {@code sender}, which started at {@code startedAt}, arrived: how many of
     * its messages before it were missed.
     */
    long message(UUID sender, long startedAt, long sequence) {
        return arrived(sender, startedAt, sequence, sequence - 1);
    }

    /** A heartbeat of {@code sender} says its last message was {@code sequence}: how many of them were missed. */
    long heartbeat(UUID sender, long startedAt, long sequence) {
        return arrived(sender, startedAt, sequence, sequence);
    }

    private long arrived(UUID sender, long startedAt, long sequence, long before) {
        long[] missed = new long[1];
        last.compute(sender, (node, seen) -> {
            if (seen == null) {
                missed[0] = startedAt > listeningSince ? Math.max(0, before) : 0;
            } else {
                missed[0] = Math.max(0, before - seen);
            }
            return seen == null ? sequence : Math.max(seen, sequence);
        });
        return missed[0];
    }
}
