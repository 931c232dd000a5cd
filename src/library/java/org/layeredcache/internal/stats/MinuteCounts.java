package org.layeredcache.internal.stats;

/**
 * Counts of one kind of event per minute for the last {@value #MINUTES} minutes, with each event's amount (1 for
 * a count, or a delay in milliseconds): how many, their total and their largest, over the last minutes asked for.
 * For events that cost far more than this bookkeeping (loads, faults, invalidations from other nodes):
 * synchronized. Thread-safe.
 */
final class MinuteCounts {

    /** How many whole minutes back can be asked for. */
    static final int MINUTES = 15;
    private static final int SLOTS = MINUTES + 1;

    private final long[] minute = new long[SLOTS];
    private final long[] count = new long[SLOTS];
    private final long[] total = new long[SLOTS];
    private final long[] max = new long[SLOTS];

    /** Totals over some minutes. */
    record Window(long count, long total, long max) {
    }

    /** One event of {@code amount} at {@code nowMillis}. */
    synchronized void add(long amount, long nowMillis) {
        long current = nowMillis / 60_000;
        int slot = (int) (current % SLOTS);
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

    /** The events of the current minute and the {@code minutes - 1} before it (at most {@value #MINUTES}). */
    synchronized Window last(int minutes, long nowMillis) {
        long current = nowMillis / 60_000;
        long events = 0;
        long sum = 0;
        long largest = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            if (minute[slot] > current - Math.min(minutes, MINUTES) && minute[slot] <= current) {
                events += count[slot];
                sum += total[slot];
                largest = Math.max(largest, max[slot]);
            }
        }
        return new Window(events, sum, largest);
    }
}
