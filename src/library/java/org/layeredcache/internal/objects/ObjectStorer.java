package org.layeredcache.internal.objects;

import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.layer.Transactions;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.ObjectOperation;
import org.layeredcache.internal.operation.OperationParser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One store of every kind of shared object: reads the kind's change marks, reads the objects they name, and calls
 * the kind's store method with their current values in a transaction of its own. After the commit it removes each
 * mark whose version the stored value has reached (a write still on its way keeps its mark, so the next store takes
 * it), and the marks older than {@link #ABANDONED} (their node died before it wrote). A store that throws removes
 * nothing. It also drops from the cluster's memory the objects that no mark names and nobody wrote for the idle
 * time (they are persisted; the next read loads them). One store at a time per instance.
 */
final class ObjectStorer {

    private static final Logger LOG = Logger.getLogger(ObjectStorer.class.getName());

    /** How old a mark must be for its write to be given up: longer than any cluster write can wait. */
    static final Duration ABANDONED = Duration.ofMinutes(5);

    private final Map<String, ObjectOperation> kinds;
    private final SharedMap objects;
    private final SharedMap marks;
    private final SharedMap figures;
    private final ClusterCodec codec;
    private final Transactions transactions;
    private final BeanCalls calls;
    private final Duration idle;
    private final Set<String> loggedCauses = ConcurrentHashMap.newKeySet();
    private final Map<String, ObjectFigures> counted = new ConcurrentHashMap<>();
    private long lastIdleSweep = System.nanoTime();

    ObjectStorer(Map<String, ObjectOperation> kinds, SharedMap objects, SharedMap marks, SharedMap figures,
                 ClusterCodec codec, Transactions transactions, BeanCalls calls, Duration idle) {
        this.kinds = kinds;
        this.objects = objects;
        this.marks = marks;
        this.figures = figures;
        this.codec = codec;
        this.transactions = transactions;
        this.calls = calls;
        this.idle = idle;
        kinds.keySet().forEach(name -> counted.put(name, new ObjectFigures()));
    }

    ObjectFigures figures(String name) {
        return counted.get(name);
    }

    /** Stores every kind once; a kind whose store fails keeps its marks, the others go on. */
    synchronized void store() {
        Map<String, List<Marked>> byKind = new HashMap<>();
        marks.entries().forEach((markId, text) -> {
            ObjectText.Mark mark = ObjectText.parseMark(text);
            if (mark != null && kinds.containsKey(mark.name())) {
                byKind.computeIfAbsent(mark.name(), name -> new ArrayList<>()).add(new Marked(markId, text, mark));
            }
        });
        byKind.forEach((name, kindMarks) -> store(kinds.get(name), kindMarks));
        if (System.nanoTime() - lastIdleSweep > idle.toNanos() / 4) {
            lastIdleSweep = System.nanoTime();
            forgetIdle(byKind);
        }
    }

    /** A mark as the cluster holds it: its id, its text and what the text says. */
    private record Marked(String id, String text, ObjectText.Mark mark) {
    }

    private void store(ObjectOperation kind, List<Marked> kindMarks) {
        ObjectFigures figures = counted.get(kind.name());
        Set<String> ids = new HashSet<>();
        kindMarks.forEach(marked -> ids.add(marked.mark().id()));
        Map<String, String> texts = objects.getAll(ids);
        Map<Object, Object> batch = new LinkedHashMap<>();
        Map<String, Long> versions = new HashMap<>();
        for (Marked marked : kindMarks) {
            ObjectText.Mark mark = marked.mark();
            String text = texts.get(mark.id());
            if (text == null || versions.containsKey(mark.id())) {
                continue;                           // not written (yet, or ever), or taken already
            }
            try {
                ObjectText.Stored stored = ObjectText.parse(text, codec);
                batch.put(kind.key(mark.key()), stored.value());
                versions.put(mark.id(), stored.version());
            } catch (RuntimeException unreadable) {
                figures.failed("shared object " + mark.key() + " cannot be read: " + unreadable);
            }
        }
        try {
            if (!batch.isEmpty()) {
                transactions.inOwnTransaction(() -> calls.later(kind.store(), kind.store().getDeclaringClass(),
                        new Object[] {Collections.unmodifiableMap(batch)}).call());
                figures.stored();
            }
            loggedCauses.removeIf(cause -> cause.startsWith(kind.name() + "\n"));
        } catch (Exception | LinkageError e) {
            figures.failed(String.valueOf(e));
            if (loggedCauses.add(kind.name() + "\n" + e.getClass().getName())) {
                LOG.log(Level.WARNING, "Storing shared objects '" + kind.name() + "' through "
                        + OperationParser.describe(kind.store()) + " failed (logged once per cause until a store"
                        + " succeeds): they stay marked as changed for the next store", e);
            }
            share(kind.name());
            return;
        }
        long abandoned = System.currentTimeMillis() - ABANDONED.toMillis();
        for (Marked marked : kindMarks) {
            ObjectText.Mark mark = marked.mark();
            if (mark.version() <= versions.getOrDefault(mark.id(), -1L) || mark.markedAt() < abandoned) {
                marks.remove(marked.id(), marked.text());
            }
        }
        share(kind.name());
    }

    /** Removes the objects that no mark names and nobody wrote for the idle time, each only if unchanged. */
    private void forgetIdle(Map<String, List<Marked>> marked) {
        Set<String> markedIds = new HashSet<>();
        marked.values().forEach(list -> list.forEach(entry -> markedIds.add(entry.mark().id())));
        long before = System.currentTimeMillis() - idle.toMillis();
        objects.entries().forEach((id, text) -> {
            int first = text.indexOf(':');
            int second = text.indexOf(':', first + 1);
            try {
                if (!markedIds.contains(id) && second > 0
                        && Long.parseLong(text.substring(first + 1, second)) < before) {
                    objects.remove(id, text);
                }
            } catch (RuntimeException notNow) {
                LOG.log(Level.FINE, "An idle shared object was not removed; the next sweep tries again", notNow);
            }
        });
    }

    /** Shares the kind's figures with the other nodes; a failure only leaves them older there. */
    private void share(String name) {
        try {
            figures.put(name, counted.get(name).text(), 0);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "The figures of shared objects '" + name + "' were not shared", e);
        }
    }
}
