package org.layeredcache.internal.objects;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;
import org.layeredcache.SharedObjectStatus;
import org.layeredcache.SharedObjects;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.config.ObjectSettings;
import org.layeredcache.internal.layer.ManagedExecutors;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.CacheOperations;
import org.layeredcache.internal.operation.ObjectOperation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link SharedObjects} of this deployment: checks each call, keeps a request's changes until its transaction
 * commits or it ends ({@link PendingChanges}), writes them with {@link ObjectWriter}, and, once
 * {@linkplain #start started}, stores every {@code layered-cache.objects.store-period} when this node is the
 * cluster's oldest member ({@link ObjectStorer}). Thread-safe.
 */
@ApplicationScoped
public class ClusterObjects implements SharedObjects {

    private static final Logger LOG = Logger.getLogger(ClusterObjects.class.getName());

    /** Where one transaction's changes are kept until it ends. */
    private static final Object TRANSACTION_CHANGES = new Object();

    @Inject
    CacheRegistry registry;

    @Inject
    CacheOperations operations;

    @Inject
    BeanCalls calls;

    @Inject
    ObjectSettings settings;

    @Inject
    RequestChanges requestChanges;

    private final Set<String> loggedFaults = ConcurrentHashMap.newKeySet();
    /** Requests' changes that did not reach the cluster, kept for the next period. */
    private final java.util.Queue<PendingChanges.Pending> unwritten =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile ObjectWriter writer;
    private volatile ObjectStorer storer;
    private volatile SharedMap marks;
    private volatile SharedMap sharedFigures;
    private final java.util.concurrent.atomic.AtomicLong failedWrites = new java.util.concurrent.atomic.AtomicLong();
    private ManagedExecutors.Scheduler scheduler;
    private ScheduledFuture<?> stores;
    private volatile boolean periodicFailureLogged;

    /** Starts the periodic store (once; nothing when the deployment declares no kind of shared object). */
    public synchronized void start() {
        if (stores != null || operations.objects().isEmpty()) {
            return;
        }
        parts();
        long period = settings.storePeriod().toMillis();
        scheduler = ManagedExecutors.findScheduler();
        stores = scheduler.service().scheduleWithFixedDelay(this::periodic, period, period, TimeUnit.MILLISECONDS);
        LOG.info("Shared objects " + new TreeSet<>(operations.objects().keySet()) + " are stored every " + period
                + " ms by one node");
    }

    /** Stops the periodic store; this node stores once more if it is the storing node. */
    public synchronized void stop() {
        if (stores == null) {
            return;
        }
        stores.cancel(false);
        stores = null;
        if (scheduler.own()) {
            scheduler.service().shutdownNow();
        }
        try {
            retryUnwritten();
            if (!unwritten.isEmpty()) {
                LOG.warning(unwritten.size() + " requests' changes to shared objects never reached the cluster and"
                        + " are lost as this node stops");
            }
            if (storingNode()) {
                storer.store();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The last store of shared objects before this node stopped failed: they stay"
                    + " marked in the cluster for the next storing node", e);
        }
    }

    @PreDestroy
    void close() {
        stop();
    }

    /** Stores now on this node, whichever node stores by schedule (tests, operators). */
    public void storeNow() {
        parts();
        retryUnwritten();
        storer.store();
    }

    private void periodic() {
        try {
            retryUnwritten();
            if (storingNode()) {
                storer.store();
            }
            periodicFailureLogged = false;
        } catch (RuntimeException e) {          // the next period tries again; the schedule must go on
            if (!periodicFailureLogged) {
                periodicFailureLogged = true;
                LOG.log(Level.WARNING, "A periodic store of shared objects failed (logged once until one"
                        + " succeeds): they stay marked in the cluster", e);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V get(String name, Object key) {
        ObjectOperation kind = declared("get", name, key);
        String text = ObjectOperation.text(key);
        Object value = parts().read(kind, text, key);
        String id = ObjectText.id(name, text);
        for (PendingChanges pending : pendingHere(false)) {
            for (UnaryOperator<Object> change : pending.of(id)) {
                value = change.apply(value);
            }
        }
        return (V) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V change(String name, Object key, UnaryOperator<V> change) {
        ObjectOperation kind = declared("change", name, key);
        if (change == null) {
            throw new IllegalArgumentException(call("change", name, key) + ": the change is null");
        }
        V seen = get(name, key);
        V changed = change.apply(seen);
        List<PendingChanges> here = pendingHere(true);
        UnaryOperator<Object> untyped = value -> change.apply((V) value);
        if (here.isEmpty()) {
            write(kind, ObjectOperation.text(key), key, List.of(untyped));
        } else {
            here.get(here.size() - 1).add(kind, ObjectOperation.text(key), key, untyped);
        }
        return changed;
    }

    /**
     * Where this thread's changes are kept, the one new changes go to last: the request's (outside a transaction),
     * then the transaction's; none outside both. Only a change makes the transaction's.
     */
    private List<PendingChanges> pendingHere(boolean forChange) {
        PendingChanges request = null;
        try {
            request = requestChanges.pending();
        } catch (ContextNotActiveException outsideRequest) {
            // none
        }
        PendingChanges transaction = forChange ? registry.transactions().perTransaction(TRANSACTION_CHANGES,
                PendingChanges::new, committed -> writeAll(committed.drain()), rolledBack -> rolledBack.drain())
                : (PendingChanges) registry.transactions().kept(TRANSACTION_CHANGES);
        List<PendingChanges> here = new java.util.ArrayList<>(2);
        if (request != null) {
            here.add(request);
        }
        if (transaction != null) {
            here.add(transaction);
        }
        return here;
    }

    /** Writes each object's pending changes in one write; a write that fails is logged once per cause and counted. */
    void writeAll(List<PendingChanges.Pending> pending) {
        for (PendingChanges.Pending object : pending) {
            write(object.kind(), object.key(), object.keyValue(), object.changes());
        }
    }

    private void write(ObjectOperation kind, String key, Object keyValue, List<UnaryOperator<Object>> changes) {
        try {
            parts().write(kind, key, keyValue, changes);
        } catch (ObjectWriter.ChangeFailed e) {
            failedWrites.incrementAndGet();
            if (loggedFaults.add(kind.name() + "\n" + e.getClass().getName())) {
                LOG.log(Level.WARNING, "A change to shared object '" + kind.name() + "' " + key + " threw while"
                        + " it was written (logged once per kind): the request's changes to it are lost", e);
            }
        } catch (RuntimeException e) {
            unwritten.add(new PendingChanges.Pending(kind, key, keyValue, changes));
            if (loggedFaults.add(kind.name() + "\n" + e.getClass().getName())) {
                LOG.log(Level.WARNING, "The changes to shared object '" + kind.name() + "' " + key + " did not"
                        + " reach the cluster (logged once per cause): this node keeps them and writes them with"
                        + " the next store period; they would be lost only if this node stopped before", e);
            }
        }
    }

    /** Writes again what did not reach the cluster before; what fails again stays for the next time. */
    private void retryUnwritten() {
        for (int left = unwritten.size(); left > 0; left--) {
            PendingChanges.Pending pending = unwritten.poll();
            if (pending == null) {
                return;
            }
            write(pending.kind(), pending.key(), pending.keyValue(), pending.changes());
        }
    }

    @Override
    public Set<String> names() {
        return new TreeSet<>(operations.objects().keySet());
    }

    @Override
    public SharedObjectStatus status(String name) {
        if (operations.object(name).isEmpty()) {
            throw unknown("status", name, null);
        }
        parts();
        long now = System.currentTimeMillis();
        Set<String> pending = new java.util.HashSet<>();
        long oldest = now;
        for (String text : marks.entriesWhoseValueStartsWith(name + '\0').values()) {
            ObjectText.Mark mark = ObjectText.parseMark(text);
            if (mark != null) {
                pending.add(mark.key());
                oldest = Math.min(oldest, mark.markedAt());
            }
        }
        boolean storing = storingNode();
        ObjectFigures figures = storing ? storer.figures(name) : ObjectFigures.read(sharedFigures.get(name));
        Instant lastStore = figures.lastStore();
        return new SharedObjectStatus(name, pending.size(), Duration.ofMillis(Math.max(0, now - oldest)),
                settings.maxLag(), lastStore, figures.stores(), figures.failedStores(), writer.writes(),
                writer.retries(), unwritten.size(), failedWrites.get(), figures.lastError(), storing);
    }

    /** Whether this node stores: the oldest member of the cluster, or the only node without one. */
    boolean storingNode() {
        return registry.oldestMember();
    }

    private ObjectOperation declared(String method, String name, Object key) {
        ObjectOperation declared = operations.object(name).orElseThrow(() -> unknown(method, name, key));
        if (key == null || !declared.accepts(key)) {
            throw new IllegalArgumentException(call(method, name, key) + ": the keys of shared objects '" + name
                    + "' are " + declared.keyType().getSimpleName() + " (" + org.layeredcache.internal.operation
                    .OperationParser.describe(declared.store()) + "), and the key is "
                    + (key == null ? "null" : "a " + key.getClass().getSimpleName()));
        }
        if (key instanceof String text && text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(call(method, name, key) + ": a key may not hold a NUL character");
        }
        return declared;
    }

    private IllegalArgumentException unknown(String method, String name, Object key) {
        return new IllegalArgumentException(call(method, name, key) + ": no @StoresObjects method declares"
                + " shared objects '" + name + "'; the declared kinds are " + new TreeSet<>(operations.objects()
                .keySet()));
    }

    private static String call(String method, String name, Object key) {
        return "SharedObjects." + method + "(\"" + name + "\"" + (key == null && method.equals("status") ? ""
                : ", " + (key instanceof String ? "\"" + key + "\"" : key)) + ")";
    }

    /** Makes the parts on first use; the writer. */
    private ObjectWriter parts() {
        ObjectWriter made = writer;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (writer == null) {
                SharedMap objects = registry.sharedMap(ObjectText.OBJECTS);
                marks = registry.sharedMap(ObjectText.MARKS);
                sharedFigures = registry.sharedMap(ObjectText.FIGURES);
                storer = new ObjectStorer(operations.objects(), objects, marks, sharedFigures, registry.codec(),
                        registry.transactions(), calls, settings.idle());
                writer = new ObjectWriter(objects, marks, registry.codec(), calls, settings.timeout());
            }
            return writer;
        }
    }
}
