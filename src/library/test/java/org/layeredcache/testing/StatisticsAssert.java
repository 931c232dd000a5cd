package org.layeredcache.testing;

import org.layeredcache.CacheStatistics;

import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Assertions on a cache's statistics, by counter name, so that adding a counter breaks no test:
 * {@code assertThat(stats).nearHits(1).loads(0)}, or on what changed between two snapshots:
 * {@code assertThatChange(before, after).clusterHits(1)}. Counters not named are not checked.
 */
public final class StatisticsAssert {

    private final CacheStatistics after;
    private final CacheStatistics before;

    private StatisticsAssert(CacheStatistics before, CacheStatistics after) {
        this.before = before;
        this.after = after;
    }

    public static StatisticsAssert assertThat(CacheStatistics actual) {
        return new StatisticsAssert(null, actual);
    }

    /** Checks the differences {@code after - before}. */
    public static StatisticsAssert assertThatChange(CacheStatistics before, CacheStatistics after) {
        return new StatisticsAssert(before, after);
    }

    public StatisticsAssert requestHits(long expected) {
        return check("requestHits", CacheStatistics::requestHits, expected);
    }

    public StatisticsAssert droppedByTags(long expected) {
        return check("droppedByTags", CacheStatistics::droppedByTags, expected);
    }

    public StatisticsAssert nearHits(long expected) {
        return check("nearHits", CacheStatistics::nearHits, expected);
    }

    public StatisticsAssert clusterHits(long expected) {
        return check("clusterHits", CacheStatistics::clusterHits, expected);
    }

    public StatisticsAssert loads(long expected) {
        return check("loads", CacheStatistics::loads, expected);
    }

    public StatisticsAssert sharedLoads(long expected) {
        return check("sharedLoads", CacheStatistics::sharedLoads, expected);
    }

    public StatisticsAssert waitsGivenUp(long expected) {
        return check("waitsGivenUp", CacheStatistics::waitsGivenUp, expected);
    }

    public StatisticsAssert staleServed(long expected) {
        return check("staleServed", CacheStatistics::staleServed, expected);
    }

    public StatisticsAssert oversized(long expected) {
        return check("oversized", CacheStatistics::oversized, expected);
    }

    public StatisticsAssert refreshes(long expected) {
        return check("refreshes", CacheStatistics::refreshes, expected);
    }

    public StatisticsAssert invalidations(long expected) {
        return check("invalidations", CacheStatistics::invalidations, expected);
    }

    public StatisticsAssert faults(long expected) {
        return check("faults", CacheStatistics::faults, expected);
    }

    /** Calls answered by this node's near layer or by the cluster layer, together (which one may vary). */
    public StatisticsAssert nearOrClusterHits(long expected) {
        return check("nearHits + clusterHits", s -> s.nearHits() + s.clusterHits(), expected);
    }

    public StatisticsAssert preloaded(long expected) {
        return check("preloaded", CacheStatistics::preloaded, expected);
    }

    public StatisticsAssert preloadChunks(long expected) {
        return check("preloadChunks", CacheStatistics::preloadChunks, expected);
    }

    private StatisticsAssert check(String counter, ToLongFunction<CacheStatistics> value, long expected) {
        long actual = value.applyAsLong(after) - (before == null ? 0 : value.applyAsLong(before));
        assertEquals(expected, actual, () -> "cache '" + after.cache() + "': " + counter
                + (before == null ? "" : " (change)") + " in " + after);
        return this;
    }
}
