package org.layeredcache.internal.stats;

/**
 * Counts of one kind of event per minute for the last minutes (by default {@value #MINUTES}), with each event's
 * amount (1 for a count, or a delay in milliseconds): how many, their total and their largest, over the last
 * minutes asked for.
 * For events that cost far more than this bookkeeping (loads, faults, invalidations from other nodes):
 * synchronized. Thread-safe.
 */
final class MinuteCounts {

    /** How many whole minutes back can be asked for, unless made for more. */
    static final int MINUTES = 15;

    private final int minutes;
    private final int slots;
    private final long[] minute;
    private final long[] count;
    private final long[] total;
    private final long[] max;

    MinuteCounts() {
        this(MINUTES);
    }

    /** Counts that can be asked for over up to {@code minutes} minutes. */
    MinuteCounts(int minutes) {
        this.minutes = minutes;
        this.slots = minutes + 1;
        this.minute = new long[slots];
        this.count = new long[slots];
        this.total = new long[slots];
        this.max = new long[slots];
    }

    /** Totals over some minutes. */
    record Window(long count, long total, long max) {
    }

    /** One event of {@code amount} at {@code nowMillis}. */
    synchronized void add(long amount, long nowMillis) {
        long current = nowMillis / 60_000;
        int slot = (int) (current % slots);
        if (minute[slot] != current) {
            minute[slot] = current;
            count[slot] = 0;
            total[slot] = 0;
            max[slot] = 0;
        }
        count[slot]++;
        total[slot] += amount;
        max[slot] = Math.max(max[slot], amount);
    }

    /** The events of the current minute and the {@code asked - 1} before it (at most as many as made for). */
    synchronized Window last(int asked, long nowMillis) {
        long current = nowMillis / 60_000;
        long events = 0;
        long sum = 0;
        long largest = 0;
        for (int slot = 0; slot < slots; slot++) {
            if (minute[slot] > current - Math.min(asked, minutes) && minute[slot] <= current) {
                events += count[slot];
                sum += total[slot];
                largest = Math.max(largest, max[slot]);
            }
        }
        return new Window(events, sum, largest);
    }
}
