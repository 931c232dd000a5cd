package org.layeredcache.internal.counter;

import org.layeredcache.internal.cluster.SharedMap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * This node's additions on their way to the cluster: one slot per counter and key, each with one
 * {@link CounterEntry} in the cluster that only this node writes and removes. A write sets the entry's new total;
 * the first caller of a key sends it and waits for it, then sends what the callers who came meanwhile added, so a
 * hot key costs one cluster write per batch, not per addition. One write per slot is on its way at a time, also
 * after a caller stopped waiting for it, so writes never overtake each other. A caller waits for the write that
 * carries its addition at most the timeout; then (or when the cluster refuses it) its addition stays in the slot,
 * counted as pending here, and goes with the next write ({@link #retry}). Once the cluster says an idle entry is persisted in full, this node removes it
 * ({@link #removePersisted}); the next addition starts a new one. Thread-safe.
 */
final class NodeAdditions {

    private final SharedMap entries;
    private final SharedMap persistedTotals;
    private final String run;
    private final long timeoutNanos;
    private final AtomicLong numbers = new AtomicLong();
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /**
     * @param member  this node's cluster member id (its entries carry it, so that the flusher knows whose they are)
     * @param timeout how long a caller waits for the write that carries its addition
     */
    NodeAdditions(SharedMap entries, SharedMap persistedTotals, String member, Duration timeout) {
        this.entries = entries;
        this.persistedTotals = persistedTotals;
        this.run = CounterEntry.runOf(member);
        this.timeoutNanos = timeout.toNanos();
    }

    /** What an addition that did not reach the cluster leaves: the amount stays here, to be written later. */
    static final class NotInCluster extends RuntimeException {
        NotInCluster(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Checks that {@code delta} can be added to what this node holds for the key without overflowing.
     *
     * @throws ArithmeticException naming the counter and key if it would overflow
     */
    void check(String counter, String key, long delta) {
        Slot slot = slots.get(CounterEntry.prefix(counter, key));
        if (slot != null) {
            synchronized (slot) {
                long held = slot.entry == null ? slot.unwritten : slot.entry.total() + slot.unwritten;
                try {
                    Math.addExact(held, delta);
                } catch (ArithmeticException e) {
                    throw new ArithmeticException("Counters.add(\"" + counter + "\", " + key + ", " + delta + "): the"
                            + " sum this node holds for the key (" + held + ", not all persisted yet) would overflow"
                            + " a long; wait for a flush");
                }
            }
        }
    }

    /**
     * Adds {@code delta} and returns once it is in the cluster.
     *
     * @throws NotInCluster if the write that carried it failed or took longer than the timeout: it stays here
     */
    void add(String counter, String key, long delta) {
        Slot slot;
        long ticket;
        while (true) {
            slot = slots.computeIfAbsent(CounterEntry.prefix(counter, key), prefix -> new Slot(counter, key));
            synchronized (slot) {
                if (slot.retired) {
                    continue;                       // forgotten meanwhile: a fresh slot takes it
                }
                slot.unwritten = Math.addExact(slot.unwritten, delta);
                ticket = ++slot.added;
                break;
            }
        }
        long deadline = System.nanoTime() + timeoutNanos;
        write(slot, deadline);
        await(slot, ticket, deadline);
    }

    /**
     * Waits until a write carried {@code ticket}, at most until {@code deadline}; when no write of the slot is on
     * its way and the addition is still here, sends it itself.
     */
    private void await(Slot slot, long ticket, long deadline) {
        while (true) {
            synchronized (slot) {
                while (slot.writing && slot.written < ticket) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new NotInCluster("the write that carries it took more than "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", null);
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(slot, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new NotInCluster("interrupted while its write went on", e);
                    }
                }
                if (slot.written >= ticket) {
                    return;
                }
                if (slot.failedUpTo >= ticket) {
                    throw new NotInCluster("the cluster refused the write that carried it", slot.failure);
                }
            }
            write(slot, deadline);
        }
    }

    /**
     * Sends what the slot holds unless a write of it is on its way already, and waits for it on this thread (at most
     * until {@code deadline}), then sends what was added meanwhile, until nothing is left: the first caller of a
     * key carries the additions of the callers that came while it waited. A write that is late goes on without this
     * thread; its end is recorded when it comes, and what was added meanwhile goes with the next caller's write or
     * the next {@link #retry}.
     */
    private void write(Slot slot, long deadline) {
        while (true) {
            CounterEntry next;
            long amount;
            long upTo;
            synchronized (slot) {
                if (slot.writing || slot.unwritten == 0 && slot.added == slot.written) {
                    return;
                }
                amount = slot.unwritten;
                upTo = slot.added;
                next = slot.entry == null
                        ? new CounterEntry(slot.nextId(this), slot.counter, slot.key, amount)
                        : new CounterEntry(slot.entry.id(), slot.counter, slot.key,
                                Math.addExact(slot.entry.total(), amount));
                slot.writing = true;
            }
            java.util.concurrent.CompletableFuture<Void> sent;
            try {
                sent = entries.setAsync(next.id(), next.text()).toCompletableFuture();
            } catch (RuntimeException e) {
                sent = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            Throwable failure = null;
            try {
                sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException late) {
                sent.whenComplete((done, lateFailure) -> written(slot, next, amount, upTo, lateFailure));
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sent.whenComplete((done, lateFailure) -> written(slot, next, amount, upTo, lateFailure));
                return;
            }
            if (!written(slot, next, amount, upTo, failure)) {
                return;
            }
        }
    }

    /** Records how a write ended and wakes its callers; whether it succeeded. */
    private static boolean written(Slot slot, CounterEntry next, long amount, long upTo, Throwable failure) {
        synchronized (slot) {
            slot.writing = false;
            if (failure == null) {
                slot.entry = next;
                slot.nextId = null;
                slot.unwritten -= amount;
                slot.written = upTo;
            } else {
                slot.failedUpTo = upTo;
                slot.failure = failure;
            }
            slot.notifyAll();
        }
        return failure == null;
    }

    /** Sends again what the cluster refused before. How many slots still owe something to the cluster. */
    int retry() {
        int owed = 0;
        for (Slot slot : slots.values()) {
            write(slot, System.nanoTime() + timeoutNanos);
            synchronized (slot) {
                owed += slot.unwritten != 0 ? 1 : 0;
            }
        }
        return owed;
    }

    /**
     * This node's entry of the key as this node knows it: its id (also while its first write is on its way or was
     * refused) and everything this node added to it, in the cluster or not yet; {@code null} when it has none.
     */
    CounterEntry own(String counter, String key) {
        Slot slot = slots.get(CounterEntry.prefix(counter, key));
        if (slot == null) {
            return null;
        }
        synchronized (slot) {
            if (slot.entry != null) {
                return new CounterEntry(slot.entry.id(), counter, key,
                        Math.addExact(slot.entry.total(), slot.unwritten));
            }
            return slot.unwritten == 0 ? null : new CounterEntry(slot.nextId(this), counter, key, slot.unwritten);
        }
    }

    /** What this node holds for the key that the cluster does not hold yet. */
    long notInCluster(String counter, String key) {
        Slot slot = slots.get(CounterEntry.prefix(counter, key));
        if (slot == null) {
            return 0;
        }
        synchronized (slot) {
            return slot.unwritten;
        }
    }

    /**
     * Removes from the cluster this node's entries that the cluster says are persisted in full and that no
     * addition changed since the last call: the slot is idle, its next addition starts a new entry. One removal at
     * a time, each holding back only its own key's writes while it is on its way (at most the timeout); one that
     * fails leaves the entry for the next call.
     */
    void removePersisted() {
        Map<String, Slot> quiet = new java.util.HashMap<>();
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                if (slot.entry != null && !slot.writing && slot.unwritten == 0 && slot.added == slot.written
                        && slot.added == slot.addedAtLastLook) {
                    quiet.put(slot.entry.id(), slot);
                }
                slot.addedAtLastLook = slot.added;
            }
        }
        if (quiet.isEmpty()) {
            return;
        }
        Map<String, String> persisted;
        try {
            persisted = persistedTotals.getAll(quiet.keySet());
        } catch (RuntimeException notNow) {
            return;
        }
        quiet.forEach((id, slot) -> {
            String done = persisted.get(id);
            synchronized (slot) {
                if (done == null || slot.writing || slot.entry == null || !slot.entry.id().equals(id)
                        || Long.parseLong(done) != slot.entry.total() || slot.unwritten != 0
                        || slot.added != slot.written) {
                    return;                         // added to meanwhile, or not persisted in full yet
                }
                slot.writing = true;                // no write of this key until the removal is done
            }
            java.util.concurrent.CompletableFuture<Void> removal;
            try {
                removal = entries.deleteAsync(id).toCompletableFuture();
            } catch (RuntimeException e) {
                removal = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            try {
                removal.get(timeoutNanos, TimeUnit.NANOSECONDS);   // on this (periodic) thread: no pool hop
                removed(slot, null);
                persistedTotals.deleteAsync(id);
            } catch (java.util.concurrent.TimeoutException late) {
                removal.whenComplete((ignored, failure) -> removed(slot, failure));
            } catch (java.util.concurrent.ExecutionException e) {
                removed(slot, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                removal.whenComplete((ignored, failure) -> removed(slot, failure));
            }
        });
    }

    /** Records how a removal of the slot's entry ended and lets its key's writes go on. */
    private static void removed(Slot slot, Throwable failure) {
        synchronized (slot) {
            if (failure == null) {
                slot.entry = null;
            }
            slot.writing = false;
            slot.notifyAll();                       // a caller that came meanwhile sends its addition now
        }
    }

    /** Drops the slots that owe nothing and hold no entry, so that keys no longer added to free their memory. */
    void forgetIdle() {
        slots.values().removeIf(slot -> {
            synchronized (slot) {
                slot.retired = slot.entry == null && !slot.writing && slot.unwritten == 0
                        && slot.added == slot.written;
                return slot.retired;
            }
        });
    }

    /** One key's state on this node, guarded by its monitor. */
    private static final class Slot {
        final String counter;
        final String key;
        long unwritten;
        long added;
        long written;
        long failedUpTo;
        long addedAtLastLook = -1;
        Throwable failure;
        /** A write (or the removal) of this slot's entry is on its way. */
        boolean writing;
        /** Removed from the slots: additions go to a fresh one. */
        boolean retired;
        /** The entry as the cluster holds it after the last write, or {@code null} before the first. */
        CounterEntry entry;
        /**
         * The id of the entry the next first write makes: kept until a write of it succeeds, so that a write
         * refused (or one whose answer was lost although it was applied) is sent again under the same id and
         * cannot leave its amount in two entries.
         */
        String nextId;

        Slot(String counter, String key) {
            this.counter = counter;
            this.key = key;
        }

        /** The id of the entry the next first write makes (the caller holds the monitor). */
        String nextId(NodeAdditions additions) {
            if (nextId == null) {
                nextId = additions.run + "-" + additions.numbers.incrementAndGet();
            }
            return nextId;
        }
    }
}
