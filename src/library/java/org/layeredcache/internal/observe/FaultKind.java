package org.layeredcache.internal.observe;

/**
 * The kinds of operation a cache fault is counted under in the metrics: a small, fixed set, so that every series
 * exists from the start (at zero) and a key template or a new cluster call adds none. The log and the readiness
 * check name the exact operation.
 */
enum FaultKind {
    /** Any call to the cluster layer: get, reserve, put, release, invalidate, refresh marks, replays. */
    CLUSTER,
    /** Computing a call's key from its arguments. */
    KEY,
    /** Sending or reading a message to or from the other nodes. */
    INVALIDATION_MESSAGE,
    /** Starting or running a background refresh. */
    REFRESH_AHEAD,
    /** Anything else. */
    OTHER;

    /** The kind of the operation named as the layers name it ("cluster get", "key service-{id}", ...). */
    static FaultKind of(String operation) {
        if (operation.startsWith("cluster ") || operation.equals("publishing a load")
                || operation.startsWith("replaying invalidations") || operation.startsWith("dropping an unreadable")) {
            return CLUSTER;
        }
        if (operation.startsWith("key ")) {
            return KEY;
        }
        if (operation.contains("invalidation message")) {
            return INVALIDATION_MESSAGE;
        }
        if (operation.contains("refresh-ahead")) {
            return REFRESH_AHEAD;
        }
        return OTHER;
    }

    /** The metric tag's value: {@code cluster}, {@code invalidation_message}, ... */
    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
