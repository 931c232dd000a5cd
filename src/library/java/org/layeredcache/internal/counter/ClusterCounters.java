package org.layeredcache.internal.counter;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.layeredcache.CounterStatus;
import org.layeredcache.Counters;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.config.CounterSettings;
import org.layeredcache.internal.layer.ManagedExecutors;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.CacheOperations;
import org.layeredcache.internal.operation.CounterOperation;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link Counters} of this deployment: checks each addition, hands it to {@link NodeAdditions} after the
 * commit, and, once {@linkplain #start started}, flushes every {@code layered-cache.counters.flush-period} when this
 * node is the cluster's oldest member (one flushing node per cluster; should two ever flush at once, the ledger
 * keeps them from persisting anything twice) and retries the additions the cluster refused; every
 * {@code layered-cache.counters.send-period} it sends the additions of the counters that do not wait for the
 * cluster. Thread-safe.
 */
@ApplicationScoped
public class ClusterCounters implements Counters {

    private static final Logger LOG = Logger.getLogger(ClusterCounters.class.getName());

    @Inject
    CacheRegistry registry;

    @Inject
    CacheOperations operations;

    @Inject
    BeanCalls calls;

    @Inject
    CounterSettings settings;

    /** A data source the application offers as a bean, used when the configured JNDI name finds none (Java SE). */
    @Inject
    Instance<DataSource> dataSources;

    private final AtomicLong notInCluster = new AtomicLong();
    private final Set<String> loggedFaults = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile NodeAdditions additions;
    private volatile CounterFlusher flusher;
    private volatile SharedMap persistedTotals;
    private volatile SharedMap entries;
    private volatile SharedMap sharedFigures;
    private volatile PendingSums pendingSums;
    private volatile CounterReads reads;
    private volatile DataSource dataSource;
    private volatile String dataSourceName;
    private ManagedExecutors.Scheduler scheduler;
    private ScheduledFuture<?> flushes;
    private ScheduledFuture<?> sends;

    /** Starts the periodic flush (once; nothing when the deployment declares no counter). */
    public synchronized void start() {
        parts();
        if (flushes != null || operations.counters().isEmpty()) {
            return;
        }
        long period = settings.flushPeriod().toMillis();
        scheduler = ManagedExecutors.findScheduler();
        scheduler.service().execute(flusher::prepare);       // reads on every node need the ledger, not only flushes
        flushes = scheduler.service().scheduleWithFixedDelay(this::periodic, period, period, TimeUnit.MILLISECONDS);
        if (operations.counters().values().stream().anyMatch(counter -> !counter.awaitCluster())) {
            long send = settings.sendPeriod().toMillis();
            sends = scheduler.service().scheduleWithFixedDelay(this::sendHeld, send, send, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends the additions this node holds (counters that do not wait for the cluster); a failure is counted. */
    private void sendHeld() {
        try {
            additions.sendHeld();
        } catch (RuntimeException e) {           // refused or late: the next period sends them again
            fault("Sending the additions this node holds to the cluster failed (logged once per cause): this node"
                    + " keeps them and sends them again", e);
        }
    }

    /**
     * Sends what this node holds to the cluster; once started, stops the periodic flush, and this node flushes once
     * more if it is the flushing node.
     */
    public synchronized void stop() {
        if (sends != null) {
            sends.cancel(false);
            sends = null;
        }
        if (additions != null) {
            try {
                additions.sendHeld();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Additions this node held did not all reach the cluster as it stopped: what"
                        + " the last retry of a started node does not send either is lost", e);
            }
        }
        if (flushes == null) {
            return;
        }
        flushes.cancel(false);
        flushes = null;
        if (scheduler.own()) {
            scheduler.service().shutdownNow();
        }
        try {
            additions.retry();
            if (flushingNode()) {
                flusher.flush();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The last flush before this node stopped failed: the additions stay in the"
                    + " cluster for the next flushing node", e);
        }
    }

    @PreDestroy
    void close() {
        stop();
    }

    /** Flushes now on this node, whichever node flushes by schedule (tests, operators). */
    public void flushNow() {
        parts();
        additions.retry();
        flusher.flush();
        additions.removePersisted();
    }

    private void periodic() {
        try {
            additions.retry();
            if (flushingNode()) {
                flusher.flush();
            }
            additions.removePersisted();
            if (System.nanoTime() - lastForget > TimeUnit.HOURS.toNanos(1)) {
                lastForget = System.nanoTime();
                additions.forgetIdle();
            }
            periodicFailureLogged = false;
        } catch (RuntimeException e) {          // the next period tries again; the schedule must go on
            if (!periodicFailureLogged) {
                periodicFailureLogged = true;
                LOG.log(Level.WARNING, "A periodic flush of the counters failed (logged once until one succeeds):"
                        + " the additions stay in the cluster", e);
            }
        }
    }

    private volatile boolean periodicFailureLogged;
    private volatile long lastForget = System.nanoTime();

    @Override
    public void add(String counter, Object key, long delta) {
        CounterOperation declared = declared("add", counter, key);
        if (delta < 0 && !declared.negative()) {
            throw new IllegalArgumentException(call("add", counter, key) + ": counter '" + counter + "' takes no"
                    + " negative additions, and " + delta + " is one (@FlushesCounter(value = \"" + counter
                    + "\", negative = true) on " + org.layeredcache.internal.operation.OperationParser
                    .describe(declared.flush()) + " would allow them)");
        }
        if (delta == 0) {
            return;
        }
        String text = CounterOperation.text(key);
        parts().check(counter, text, delta);
        registry.transactions().collect(TRANSACTION_ADDITIONS,
                List.of(new Addition(counter, text, delta, declared.awaitCluster())), this::applyAll);
    }

    /** Where one transaction's additions are kept until it commits. */
    private static final Object TRANSACTION_ADDITIONS = new Object();

    /** One addition; two equal ones are two additions, so it keeps identity equality. */
    private static final class Addition {
        final String counter;
        final String key;
        final long delta;
        final boolean awaitCluster;

        Addition(String counter, String key, long delta, boolean awaitCluster) {
            this.counter = counter;
            this.key = key;
            this.delta = delta;
            this.awaitCluster = awaitCluster;
        }
    }

    /** Applies a committed transaction's additions: one per counter and key, with their sum. */
    private void applyAll(Set<Addition> committed) {
        if (committed.size() == 1) {
            Addition only = committed.iterator().next();
            apply(only.counter, only.key, only.delta, only.awaitCluster);
            return;
        }
        Map<List<String>, Long> sums = new java.util.LinkedHashMap<>();
        Map<String, Boolean> await = new java.util.HashMap<>();
        try {
            for (Addition addition : committed) {
                sums.merge(List.of(addition.counter, addition.key), addition.delta, Math::addExact);
                await.put(addition.counter, addition.awaitCluster);
            }
        } catch (ArithmeticException tooBigTogether) {
            committed.forEach(addition -> apply(addition.counter, addition.key, addition.delta,
                    addition.awaitCluster));
            return;
        }
        sums.forEach((counterAndKey, sum) -> {
            if (sum != 0) {
                apply(counterAndKey.get(0), counterAndKey.get(1), sum, await.get(counterAndKey.get(0)));
            }
        });
    }

    private void apply(String counter, String key, long delta, boolean awaitCluster) {
        try {
            if (awaitCluster) {
                additions.add(counter, key, delta);
            } else {
                additions.hold(counter, key, delta);
            }
        } catch (NodeAdditions.NotInCluster e) {
            fault("An addition to counter '" + counter + "' did not reach the cluster (logged once per cause):"
                    + " this node keeps it and writes it with the next flush period; it would be lost only if this"
                    + " node stopped before", e);
        } catch (ArithmeticException e) {
            // checked when it was made; additions committed in between brought the key's sum to the limit
            fault("An addition to counter '" + counter + "' was dropped after its transaction committed"
                    + " (logged once per cause): with the additions committed since it was checked, the sum this"
                    + " node holds for the key would overflow a long", e);
        }
    }

    /** Counts an addition or a send that did not reach the cluster, and logs it once per cause. */
    private void fault(String message, RuntimeException e) {
        notInCluster.incrementAndGet();
        if (loggedFaults.add(e.getClass().getName() + String.valueOf(e.getCause()))) {
            LOG.log(Level.WARNING, message, e);
        }
    }

    @Override
    public long pending(String counter, Object key) {
        declared("pending", counter, key);
        parts();
        return pendingSums.of(counter, CounterOperation.text(key));
    }

    @Override
    public long read(String counter, Object key) {
        CounterOperation declared = declared("read", counter, key);
        if (declared.read() == null) {
            throw new IllegalStateException(call("read", counter, key) + ": counter '" + counter + "' has no"
                    + " @ReadsCounter method, so what the database holds is unknown; add one, or use pending()");
        }
        parts();
        try {
            return reads.read(counter, CounterOperation.text(key), () -> (Long) calls.later(declared.read(),
                    declared.read().getDeclaringClass(), new Object[] {key}).call());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(call("read", counter, key) + ": "
                    + org.layeredcache.internal.operation.OperationParser.describe(declared.read()) + " failed", e);
        }
    }

    @Override
    public CounterStatus status(String counter) {
        if (operations.counter(counter).isEmpty()) {
            throw unknown("status", counter, null);
        }
        parts();
        Map<String, Long> byKey = pendingSums.byKey(counter);
        String shared = sharedFigures.get(counter);
        CounterFigures.Shared figures = shared != null ? CounterFigures.Shared.read(shared)
                : flusher.figures(counter).shared(null);
        return figures.status(counter, byKey.size(), byKey.values().stream().mapToLong(Long::longValue).sum(),
                notInCluster.get(), flushingNode());
    }

    /** The ids of the cluster's members now, or {@code null} without a cluster. */
    private Set<String> liveMembers() {
        return registry.hazelcast().map(hazelcast -> hazelcast.getCluster().getMembers().stream()
                .map(member -> member.getUuid().toString()).collect(java.util.stream.Collectors.toSet()))
                .orElse(null);
    }

    /** Whether this node flushes: the oldest member of the cluster, or the only node without one. */
    boolean flushingNode() {
        return registry.oldestMember();
    }

    private CounterOperation declared(String method, String counter, Object key) {
        CounterOperation declared = operations.counter(counter).orElseThrow(() -> unknown(method, counter, key));
        if (key == null || !declared.accepts(key)) {
            throw new IllegalArgumentException(call(method, counter, key) + ": the keys of counter '" + counter
                    + "' are " + declared.keyType().getSimpleName() + " (" + org.layeredcache.internal.operation
                    .OperationParser.describe(declared.flush()) + "), and the key is "
                    + (key == null ? "null" : "a " + key.getClass().getSimpleName()));
        }
        if (key instanceof String text && text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(call(method, counter, key) + ": a key may not hold a NUL character");
        }
        return declared;
    }

    private IllegalArgumentException unknown(String method, String counter, Object key) {
        return new IllegalArgumentException(call(method, counter, key) + ": no @FlushesCounter method declares"
                + " counter '" + counter + "'; the declared counters are "
                + new TreeSet<>(operations.counters().keySet()));
    }

    private static String call(String method, String counter, Object key) {
        return "Counters." + method + "(\"" + counter + "\"" + (key == null && method.equals("status") ? ""
                : ", " + (key instanceof String ? "\"" + key + "\"" : key)) + ")";
    }

    /** Makes the parts on first use; this node's additions. */
    private NodeAdditions parts() {
        NodeAdditions made = additions;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (additions == null) {
                entries = registry.sharedMap(CounterEntry.ADDITIONS);
                persistedTotals = registry.sharedMap(CounterEntry.PERSISTED);
                sharedFigures = registry.sharedMap(CounterFigures.SHARED);
                flusher = new CounterFlusher(operations.counters(), entries, persistedTotals, sharedFigures,
                        registry::nodeName, this::liveMembers, registry.transactions(), calls, this::dataSource,
                        settings.ledgerKeep());
                ClassLoader application = Thread.currentThread().getContextClassLoader();
                dataSourceName = LedgerDataSource.find(settings.dataSource(),
                        application != null ? application : ClusterCounters.class.getClassLoader());
                if (!operations.counters().isEmpty()) {
                    LOG.info("Counters " + new TreeSet<>(operations.counters().keySet()) + " are flushed every "
                            + settings.flushPeriod().toMillis() + " ms; their ledger is in data source "
                            + dataSourceName);
                }
                NodeAdditions added = new NodeAdditions(entries, persistedTotals, registry.hazelcast()
                        .map(hazelcast -> hazelcast.getCluster().getLocalMember().getUuid().toString())
                        .orElse("local"), settings.timeout());
                pendingSums = new PendingSums(entries, persistedTotals, added);
                reads = new CounterReads(pendingSums, flusher);
                additions = added;                  // last: its being set means every part is there
            }
            return additions;
        }
    }

    /** The configured data source (JNDI), else the application's {@code DataSource} bean; found once. */
    private DataSource dataSource() {
        DataSource found = dataSource;
        if (found != null) {
            return found;
        }
        try {
            found = (DataSource) new InitialContext().lookup(dataSourceName);
        } catch (NamingException | RuntimeException notThere) {
            if (!dataSources.isResolvable()) {
                throw new IllegalStateException("no data source " + dataSourceName + " (configuration property"
                        + " layered-cache.counters.datasource) was found to flush the counters into", notThere);
            }
            found = dataSources.get();
        }
        dataSource = found;
        return found;
    }
}
