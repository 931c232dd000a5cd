package org.layeredcache.internal.counter;

import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.layer.Transactions;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.CounterOperation;
import org.layeredcache.internal.operation.OperationParser;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One flush of every counter: reads the cluster's {@link CounterEntry entries}, and per counter, in a transaction
 * of its own, calls the counter's flush method with the sums per key of what each entry holds beyond what is
 * persisted of it, and records the new totals in the {@link FlushLedger}, on the condition that it holds the old
 * ones; the two commit together or not at all. Afterwards it tells the
 * cluster what is persisted (for reads of pending sums, and for each node to remove its entries persisted in full),
 * and removes those of nodes that left the cluster. An entry leaves the cluster only once what it holds is
 * persisted, so nothing is lost when a flushing node dies; the ledger's compare-and-set keeps two flushes from persisting anything twice.
 * One flush at a time per instance.
 */
final class CounterFlusher {

    private static final Logger LOG = Logger.getLogger(CounterFlusher.class.getName());

    private final Map<String, CounterOperation> counters;
    private final SharedMap entries;
    private final SharedMap persistedTotals;
    private final SharedMap sharedFigures;
    private final Supplier<String> nodeName;
    private final Transactions transactions;
    private final BeanCalls calls;
    private final Supplier<DataSource> dataSource;
    private final Duration keepLedgerRows;
    private final FlushLedger ledger = new FlushLedger();
    private final Map<String, CounterFigures> figures = new ConcurrentHashMap<>();
    private final Set<String> loggedCauses = ConcurrentHashMap.newKeySet();
    private final Supplier<Set<String>> liveMembers;
    private volatile boolean ledgerCreated;
    private Instant lastPrune = Instant.EPOCH;

    /**
     * @param entries         the cluster map of {@link CounterEntry entries}
     * @param persistedTotals the cluster map of what is persisted of each entry
     * @param sharedFigures   the cluster map of each counter's {@link CounterFigures}
     * @param nodeName        this node's name, for the figures it shares
     * @param liveMembers     the ids of the cluster's members now ({@code null}: unknown, none is taken for gone)
     */
    CounterFlusher(Map<String, CounterOperation> counters, SharedMap entries, SharedMap persistedTotals,
                   SharedMap sharedFigures, Supplier<String> nodeName, Supplier<Set<String>> liveMembers,
                   Transactions transactions, BeanCalls calls, Supplier<DataSource> dataSource,
                   Duration keepLedgerRows) {
        this.liveMembers = liveMembers;
        this.sharedFigures = sharedFigures;
        this.nodeName = nodeName;
        this.counters = counters;
        this.entries = entries;
        this.persistedTotals = persistedTotals;
        this.transactions = transactions;
        this.calls = calls;
        this.dataSource = dataSource;
        this.keepLedgerRows = keepLedgerRows;
        counters.keySet().forEach(name -> figures.put(name, new CounterFigures(name)));
    }

    CounterFigures figures(String counter) {
        return figures.get(counter);
    }

    /** Flushes every counter once; a counter whose flush fails keeps its entries, the others go on. */
    synchronized void flush() {
        Map<String, List<CounterEntry>> byCounter = new HashMap<>();
        entries.entries().forEach((id, text) -> {
            CounterEntry entry = CounterEntry.parse(id, text);
            if (entry != null && counters.containsKey(entry.counter())) {
                byCounter.computeIfAbsent(entry.counter(), name -> new ArrayList<>()).add(entry);
            }
        });
        if (!byCounter.isEmpty() && !ensureLedger()) {
            return;
        }
        for (Map.Entry<String, CounterOperation> counter : counters.entrySet()) {
            List<CounterEntry> listed = byCounter.getOrDefault(counter.getKey(), List.of());
            if (listed.isEmpty()) {
                continue;
            }
            Map<String, Long> persisted = flush(counter.getValue(), listed);
            if (persisted != null) {
                afterCommit(listed, persisted);
            }
            share(counter.getKey());
        }
        pruneLedger(byCounter);
    }

    /** Flushes one counter's entries; what the ledger holds for each afterwards, or {@code null} if it failed. */
    private Map<String, Long> flush(CounterOperation counter, List<CounterEntry> listed) {
        CounterFigures counted = figures.get(counter.name());
        Map<String, Long> assumed = new HashMap<>();
        try {
            persistedTotals.getAll(listed.stream().map(CounterEntry::id).collect(Collectors.toSet()))
                    .forEach((id, total) -> assumed.put(id, Long.parseLong(total)));
            Long sum = transactions.inOwnTransaction(() -> persist(counter, listed, assumed));
            if (sum != null) {
                counted.committed(sum, Instant.now());
            }
            loggedCauses.removeIf(cause -> cause.startsWith(counter.name() + "\n"));
            Map<String, Long> totals = new HashMap<>();
            listed.forEach(entry -> totals.put(entry.id(), entry.total()));
            return totals;
        } catch (Exception | LinkageError e) {
            counted.failed(String.valueOf(e));
            if (gaveWay(e)) {
                LOG.log(Level.FINE, "A flush of counter '" + counter.name() + "' gave way to another node's", e);
                repair(listed);
            } else if (loggedCauses.add(counter.name() + "\n" + e.getClass().getName())) {
                LOG.log(Level.WARNING, "Flushing counter '" + counter.name() + "' through "
                        + OperationParser.describe(counter.flush()) + " failed (logged once per cause until a flush"
                        + " succeeds): nothing of it was persisted, its additions stay in the cluster for the next"
                        + " flush. The flush method must write to the data source of layered-cache.counters"
                        + ".datasource, in the transaction it is called in", e);
            }
            return null;
        }
    }

    /**
     * Within the flush's transaction: calls the flush method with the sums of what each entry holds beyond what
     * the cluster says is persisted of it ({@code assumed}), then records the new totals in the ledger on the
     * condition that it holds what was assumed, which fails the transaction if another flush persisted any of
     * them (or the cluster's figure was old). The ledger's connection is opened after the method's writes, so
     * that it joins the connection the method's persistence unit opened on the same data source. The sum
     * persisted, or {@code null} when nothing had changed.
     */
    private Long persist(CounterOperation counter, List<CounterEntry> listed, Map<String, Long> assumed)
            throws Exception {
        Map<String, long[]> updates = new HashMap<>();
        Map<String, Long> inserts = new HashMap<>();
        Map<Object, Long> deltas = new LinkedHashMap<>();
        long sum = 0;
        for (CounterEntry entry : listed) {
            Long before = assumed.get(entry.id());
            long delta = Math.subtractExact(entry.total(), before == null ? 0 : before);
            if (delta == 0) {
                continue;
            }
            if (before == null) {
                inserts.put(entry.id(), entry.total());
            } else {
                updates.put(entry.id(), new long[] {before, entry.total()});
            }
            deltas.merge(counter.key(entry.key()), delta, Math::addExact);
            sum = Math.addExact(sum, delta);
        }
        if (updates.isEmpty() && inserts.isEmpty()) {
            return null;
        }
        deltas.values().removeIf(delta -> delta == 0);
        if (!deltas.isEmpty()) {
            calls.later(counter.flush(), counter.flush().getDeclaringClass(),
                    new Object[] {Collections.unmodifiableMap(deltas)}).call();
        }
        try (Connection connection = dataSource.get().getConnection()) {
            if (transactions.jta()) {
                ledger.record(connection, updates, inserts, System.currentTimeMillis());
            } else {
                recordLocally(connection, updates, inserts);
            }
        }
        return sum;
    }

    /** Java SE: the ledger commits its own connection once the method returned (no JTA to join them). */
    private void recordLocally(Connection connection, Map<String, long[]> updates, Map<String, Long> inserts)
            throws java.sql.SQLException {
        connection.setAutoCommit(false);
        try {
            ledger.record(connection, updates, inserts, System.currentTimeMillis());
            connection.commit();
        } catch (java.sql.SQLException | RuntimeException failure) {
            connection.rollback();
            throw failure;
        }
    }

    /**
     * Whether a flush failed only because the ledger did not hold what it assumed: another flush persisted the
     * same entries meanwhile (two flushing nodes for a moment, or an operator's flush), or the cluster's figure
     * was older than the ledger's. Nothing to warn about: nothing was persisted twice.
     */
    private static boolean gaveWay(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FlushLedger.ConcurrentFlush) {
                return true;
            }
        }
        return false;
    }

    /**
     * After a flush gave way: tells the cluster what the ledger holds of the entries, so that the next flush
     * assumes it (another flush persisted them, or the cluster's figure was older than the ledger's).
     */
    private void repair(List<CounterEntry> listed) {
        try {
            Map<String, Long> recorded = ledgerTotals(listed.stream().map(CounterEntry::id).toList());
            Map<String, String> totals = new HashMap<>();
            recorded.forEach((id, total) -> totals.put(id, Long.toString(total)));
            persistedTotals.putAll(totals);
        } catch (Exception | LinkageError e) {
            LOG.log(Level.FINE, "What the ledger holds was not read back; the next flush tries again", e);
        }
    }

    /**
     * Tells the cluster what is persisted of each entry, and removes the entries of nodes that left the cluster
     * once they are persisted in full (a node removes its own).
     */
    private void afterCommit(List<CounterEntry> listed, Map<String, Long> persisted) {
        Map<String, String> totals = new HashMap<>();
        persisted.forEach((id, total) -> totals.put(id, Long.toString(total)));
        try {
            persistedTotals.putAll(totals);
            Set<String> live = liveMembers.get();
            for (CounterEntry entry : listed) {
                if (live != null && !live.contains(CounterEntry.memberOf(entry.id()))
                        && persisted.getOrDefault(entry.id(), -1L) == entry.total()
                        && entries.remove(entry.id(), entry.text())) {
                    persistedTotals.remove(entry.id());
                }
            }
        } catch (RuntimeException e) {
            if (loggedCauses.add("cleanup\n" + e.getClass().getName())) {
                LOG.log(Level.WARNING, "After a flush, the cluster could not be told what is persisted (logged"
                        + " once): reads of pending sums may count persisted additions until the next flush", e);
            }
        }
    }

    /** Shares the counter's figures with the other nodes; a failure only leaves them older there. */
    private void share(String counter) {
        try {
            sharedFigures.put(counter, figures.get(counter).text(nodeName.get()), 0);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "The figures of counter '" + counter + "' were not shared", e);
        }
    }

    /**
     * What the ledger says is persisted of those of {@code ids} it has. Read on a connection of the data source
     * as it comes: in the caller's transaction if there is one (with the caller's other reads of that database),
     * else on its own.
     *
     * @throws IllegalStateException if the ledger table could not be created
     */
    Map<String, Long> ledgerTotals(Collection<String> ids) throws Exception {
        if (ids.isEmpty()) {
            return Map.of();
        }
        if (!ledgerCreated) {
            prepare();
        }
        if (!ledgerCreated) {
            throw new IllegalStateException("the counters' ledger table " + FlushLedger.TABLE + " could not be"
                    + " created in the data source of layered-cache.counters.datasource");
        }
        try (Connection connection = dataSource.get().getConnection()) {
            return ledger.persisted(connection, ids);
        }
    }

    /** Creates the ledger table unless it is there (once, before the first flush or read needs it). */
    synchronized void prepare() {
        ensureLedger();
    }

    /** Creates the ledger table once, in a transaction of its own; false (logged, counted) if that fails. */
    private boolean ensureLedger() {
        if (ledgerCreated) {
            return true;
        }
        try {
            transactions.inOwnTransaction(() -> {
                try (Connection connection = dataSource.get().getConnection()) {
                    ledger.create(connection);
                }
                return null;
            });
            ledgerCreated = true;
        } catch (Exception | LinkageError e) {
            figures.values().forEach(counted -> counted.failed("the ledger table could not be created: " + e));
            if (loggedCauses.add("ledger\n" + e.getClass().getName())) {
                LOG.log(Level.WARNING, "The counters' ledger table " + FlushLedger.TABLE + " could not be created"
                        + " in the data source of layered-cache.counters.datasource (logged once): nothing is"
                        + " flushed, the additions stay in the cluster", e);
            }
        }
        return ledgerCreated;
    }

    /**
     * Once an hour, deletes the ledger rows of entries that are no longer in the cluster and were not written for
     * {@code layered-cache.counters.ledger-keep} (1 day): their entries were removed after being persisted in
     * full, and no flush that started before that can still be running.
     */
    private void pruneLedger(Map<String, List<CounterEntry>> listed) {
        Instant now = Instant.now();
        if (Duration.between(lastPrune, now).toHours() < 1) {
            return;
        }
        lastPrune = now;
        Set<String> present = listed.values().stream().flatMap(List::stream).map(CounterEntry::id)
                .collect(Collectors.toSet());
        long before = now.minus(keepLedgerRows).toEpochMilli();
        try {
            transactions.inOwnTransaction(() -> {
                try (Connection connection = dataSource.get().getConnection()) {
                    List<String> old = new ArrayList<>(ledger.writtenBefore(connection, before));
                    old.removeAll(present);
                    if (!old.isEmpty()) {
                        ledger.delete(connection, old, before);
                    }
                }
                return null;
            });
        } catch (Exception | LinkageError e) {
            LOG.log(Level.FINE, "Old rows of the counters' ledger were not deleted; the next hour tries again", e);
        }
    }
}
