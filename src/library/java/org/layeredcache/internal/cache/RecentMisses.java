package org.layeredcache.internal.cache;

/**
 * Whether a cache's reads of the cluster have mostly been missing lately (a node that just started, a cache just
 * dropped, a working set larger than the cluster holds). While they have, a read sends its claim together with its
 * get ({@code getOrReserve}), so that a miss costs two cluster round trips (get and claim, then publish) instead
 * of three; otherwise it gets first and claims only on a miss, so that a hit costs one operation. The share of
 * misses decays exponentially over roughly the last 32 reads of the cluster, starting at "all missed"; updates
 * from many threads race and only blur it. Thread-safe.
 */
final class RecentMisses {

    private static final int SCALE = 1 << 16;
    /** More than about one read of the cluster in eight missed. */
    private static final int LIKELY = SCALE / 8;

    private volatile int share = SCALE;

    void hit() {
        int now = share;
        share = now - (now >> 5);
    }

    void miss() {
        int now = share;
        share = now + ((SCALE - now) >> 5);
    }

    /** Whether the next read of the cluster is likely to miss. */
    boolean likely() {
        return share > LIKELY;
    }
}
