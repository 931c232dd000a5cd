package org.layeredcache.internal.cache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a read sends its claim with its get: while the cluster has been missing lately, not once it hits. */
class RecentMissesTest {

    @Test
    void aFreshCacheExpectsMissesUntilTheClusterHitsAndAgainOnceItMisses() {
        RecentMisses misses = new RecentMisses();
        assertThat(misses.likely()).as("a node that just started").isTrue();
        for (int i = 0; i < 100; i++) {
            misses.hit();
        }
        assertThat(misses.likely()).as("after a hundred hits").isFalse();
        misses.miss();
        assertThat(misses.likely()).as("one miss among hits").isFalse();
        for (int i = 0; i < 10; i++) {
            misses.miss();
        }
        assertThat(misses.likely()).as("ten misses in a row").isTrue();
        for (int i = 0; i < 200; i++) {                 // one read in ten misses: mostly hits
            if (i % 10 == 0) {
                misses.miss();
            } else {
                misses.hit();
            }
        }
        assertThat(misses.likely()).as("one miss in ten").isFalse();
    }
}
