package org.layeredcache.internal.objects;

import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.ObjectOperation;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Reads shared objects from the cluster (loading one the cluster lacks) and writes one object's changes in one
 * write, holding the object's cluster lock: read the current value, apply the changes in order, mark the object
 * changed (a {@link ObjectText.Mark} with the version about to be written), then replace exactly the value read;
 * should another write come in between all the same (a lock whose lease ran out, the first load of the object),
 * read again and apply the changes again, for at most the timeout. The mark comes before the write, so that a node
 * dying between the two leaves the object marked (the storer then stores it once more) rather than changed and
 * unmarked. Thread-safe.
 */
final class ObjectWriter {

    private final SharedMap objects;
    private final SharedMap marks;
    private final ClusterCodec codec;
    private final BeanCalls calls;
    private final long timeoutNanos;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    ObjectWriter(SharedMap objects, SharedMap marks, ClusterCodec codec, BeanCalls calls, Duration timeout) {
        this.objects = objects;
        this.marks = marks;
        this.codec = codec;
        this.calls = calls;
        this.timeoutNanos = timeout.toNanos();
    }

    long writes() {
        return writes.get();
    }

    long retries() {
        return retries.get();
    }

    /** The object as the cluster holds it; loaded through the kind's load method and kept when it holds none. */
    Object read(ObjectOperation kind, String key, Object keyValue) {
        String id = ObjectText.id(kind.name(), key);
        String text = objects.get(id);
        if (text != null) {
            return ObjectText.parse(text, codec).value();
        }
        Object loaded = load(kind, keyValue);
        String kept = objects.putIfAbsent(id, ObjectText.stored(0, System.currentTimeMillis(), loaded));
        return kept == null ? loaded : ObjectText.parse(kept, codec).value();
    }

    /**
     * Writes the changes to the object in one write, holding the object's cluster lock (so that writers of one
     * object take turns instead of retrying against each other); the value written.
     *
     * @throws IllegalStateException if the lock was not had within the timeout, or other writes kept coming in
     *                               between (a lock whose lease ran out) for longer
     */
    Object write(ObjectOperation kind, String key, Object keyValue, List<UnaryOperator<Object>> changes) {
        String id = ObjectText.id(kind.name(), key);
        long deadline = System.nanoTime() + timeoutNanos;
        boolean locked;
        try {
            locked = objects.tryLock(id, TimeUnit.NANOSECONDS.toMillis(timeoutNanos), LOCK_LEASE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for shared object '" + kind.name() + "' "
                    + key, e);
        }
        if (!locked) {
            throw new IllegalStateException("shared object '" + kind.name() + "' " + key + " stayed locked by"
                    + " other writers for more than " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
        try {
            return writeLocked(kind, key, keyValue, changes, id, deadline);
        } finally {
            objects.unlock(id);
        }
    }

    /** A change function threw: the application's fault, which writing again cannot mend. */
    static final class ChangeFailed extends RuntimeException {
        ChangeFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** How long a writer's lock outlives a writer that hangs. */
    static final Duration LOCK_LEASE = Duration.ofSeconds(30);

    private Object writeLocked(ObjectOperation kind, String key, Object keyValue, List<UnaryOperator<Object>> changes,
                               String id, long deadline) {
        for (int attempt = 1; ; attempt++) {
            String current = objects.get(id);
            ObjectText.Stored stored = current == null ? null : ObjectText.parse(current, codec);
            Object value = stored == null ? load(kind, keyValue) : stored.value();
            for (UnaryOperator<Object> change : changes) {
                try {
                    value = change.apply(value);
                } catch (RuntimeException e) {
                    throw new ChangeFailed("a change of shared object '" + kind.name() + "' " + key + " threw", e);
                }
            }
            long version = (stored == null ? 0 : stored.version()) + 1;
            long now = System.currentTimeMillis();
            String mark = UUID.randomUUID().toString();
            marks.put(mark, ObjectText.mark(kind.name(), key, version, now), 0);
            String next = ObjectText.stored(version, now, value);
            boolean written = current == null ? objects.putIfAbsent(id, next) == null
                    : objects.replace(id, current, next);
            if (written) {
                writes.incrementAndGet();
                return value;
            }
            marks.remove(mark);                     // this attempt wrote nothing; the next one marks again
            retries.incrementAndGet();
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("other writes of shared object '" + kind.name() + "' " + key
                        + " came in between each of " + attempt + " attempts to write this request's changes");
            }
        }
    }

    private Object load(ObjectOperation kind, Object keyValue) {
        try {
            return calls.later(kind.load(), kind.load().getDeclaringClass(), new Object[] {keyValue}).call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("loading shared object '" + kind.name() + "' " + keyValue + " failed", e);
        }
    }
}
