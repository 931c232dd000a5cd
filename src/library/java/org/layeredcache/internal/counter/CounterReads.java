package org.layeredcache.internal.counter;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Reads a counter's value for one key so that each addition counts once: what the database holds (the counter's
 * read method) plus, for each entry of the key, what it holds beyond what the {@link FlushLedger ledger} says is
 * persisted of it. A flush writes the database and the ledger in one transaction, so when the ledger holds the
 * same totals before and after the read method ran, the method saw exactly what the ledger says; when a flush
 * committed in between, it reads again. (Adding the cluster's figure of what is persisted instead would count an
 * addition twice, or not at all, whenever a flush commits during the read.) Thread-safe.
 */
final class CounterReads {

    /** How many flushes in a row may commit during reads of one key before a read gives up. */
    static final int ATTEMPTS = 50;

    private final PendingSums pendingSums;
    private final CounterFlusher flusher;

    CounterReads(PendingSums pendingSums, CounterFlusher flusher) {
        this.pendingSums = pendingSums;
        this.flusher = flusher;
    }

    /**
     * The key's value.
     *
     * @param persisted the counter's read method for the key; what the database holds, or {@code null} for none
     * @throws IllegalStateException if flushes committed during each of {@value #ATTEMPTS} reads in a row
     */
    long read(String counter, String key, Callable<Long> persisted) throws Exception {
        Map<String, Long> totals = pendingSums.entries(counter, key);
        Map<String, Long> before = flusher.ledgerTotals(totals.keySet());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Long held = persisted.call();
            Map<String, Long> after = flusher.ledgerTotals(totals.keySet());
            if (after.equals(before)) {
                long value = held == null ? 0 : held;
                for (Map.Entry<String, Long> entry : totals.entrySet()) {
                    long done = after.getOrDefault(entry.getKey(), 0L);
                    // a flush may have persisted more of an entry than it held when listed: the method saw that
                    value = Math.addExact(value, Math.max(0, entry.getValue() - done));
                }
                return value;
            }
            before = after;
        }
        throw new IllegalStateException("flushes of counter '" + counter + "' committed during each of "
                + ATTEMPTS + " reads of key " + key + " in a row");
    }
}
