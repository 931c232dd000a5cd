package org.layeredcache.internal.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MinuteCountsTest {

    private static final long MINUTE = 60_000;

    @Test
    void countsTotalsAndMaximaCoverTheLastMinutesAskedForAndForgetOlderOnes() {
        MinuteCounts counts = new MinuteCounts();
        long start = 1_000 * MINUTE;
        counts.add(5, start);
        counts.add(7, start + 10);
        counts.add(40, start + MINUTE);
        counts.add(3, start + 4 * MINUTE + 59_999);

        long now = start + 4 * MINUTE + 59_999;
        assertThat(counts.last(5, now)).isEqualTo(new MinuteCounts.Window(4, 55, 40));
        assertThat(counts.last(4, now)).isEqualTo(new MinuteCounts.Window(2, 43, 40));
        assertThat(counts.last(1, now)).isEqualTo(new MinuteCounts.Window(1, 3, 3));
        assertThat(counts.last(5, now + 1)).as("a minute later the first minute is out")
                .isEqualTo(new MinuteCounts.Window(2, 43, 40));
    }

    @Test
    void aSlotReusedAfterAFullTurnStartsFromZero() {
        MinuteCounts counts = new MinuteCounts();
        long start = 2_000 * MINUTE;
        counts.add(9, start);
        long turn = start + (MinuteCounts.MINUTES + 1) * MINUTE;     // the same slot, sixteen minutes on
        counts.add(1, turn);
        assertThat(counts.last(MinuteCounts.MINUTES, turn)).isEqualTo(new MinuteCounts.Window(1, 1, 1));
        assertThat(counts.last(MinuteCounts.MINUTES + 10, turn)).as("at most 15 minutes back")
                .isEqualTo(new MinuteCounts.Window(1, 1, 1));
    }
}
