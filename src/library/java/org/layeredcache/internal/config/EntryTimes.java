package org.layeredcache.internal.config;

import java.time.Duration;

/**
 * How long a read's entries live and age: as annotated, then with the cache's configuration applied
 * ({@link CacheSettings#resolve}).
 *
 * @param ttl          how long an entry is fresh in the cluster layer
 * @param refreshAfter from what age a hit starts one background reload ({@code ZERO}: never)
 * @param staleIfError how long after the TTL an entry is kept to stand in for a failed load ({@code ZERO}: not)
 */
public record EntryTimes(Duration ttl, Duration refreshAfter, Duration staleIfError) {

    /** How long the cluster keeps an entry: its TTL, plus the time it may stand in for a failed load. */
    public Duration kept() {
        return ttl.plus(staleIfError);
    }

    public boolean refreshes() {
        return !refreshAfter.isZero();
    }
}
