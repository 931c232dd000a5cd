package org.layeredcache.internal.stats;

/**
 * Hears what the caches do that counters alone cannot carry: how long each load took, each fault by operation,
 * and how long other nodes' invalidations took to arrive. The metrics bridge implements it; without one,
 * {@link #NONE} hears nothing. Called on the caller's (or Hazelcast's) thread: must be quick and must not throw.
 */
public interface CacheObserver {

    CacheObserver NONE = new CacheObserver() {
    };

    /** A load of {@code cache} ran the method for {@code nanos}, whether it returned or threw. */
    default void loaded(String cache, long nanos) {
    }

    /** A fault of {@code operation} (such as "cluster get") was absorbed in {@code cache}. */
    default void fault(String cache, String operation) {
    }

    /** Another node's invalidation of {@code cache} arrived {@code millis} after it was published. */
    default void invalidationReceived(String cache, long millis) {
    }
}
