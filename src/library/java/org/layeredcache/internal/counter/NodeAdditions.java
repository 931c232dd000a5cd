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
 * after a caller stopped waiting for it, so writes never overtake each other. Each caller sleeps until the one
 * write that carries its addition ends, not at the end of the write before it: a wake-up costs more than the
 * addition itself on a machine of few cores. A caller waits for the write that
 * carries its addition at most the timeout; then (or when the cluster refuses it) its addition stays in the slot,
 * counted as pending here, and goes with the next write ({@link #retry}). A held addition ({@link #hold}, a counter
 * that does not wait for the cluster) returns at once and goes with the next {@link #sendHeld}, which writes every
 * key's sum at once. Once the cluster says an idle entry is persisted in full, this node removes it
 * ({@link #removePersisted}); the next addition starts a new one. Thread-safe.
 */
final class NodeAdditions {

    private final SharedMap entries;
    private final SharedMap persistedTotals;
    private final String run;
    private final long timeoutNanos;
    private final AtomicLong numbers = new AtomicLong();
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder earlyWakeUps = new java.util.concurrent.atomic.LongAdder();

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
            slot.lock.lock();
            try {
                long held = slot.entry == null ? slot.unwritten : slot.entry.total() + slot.unwritten;
                try {
                    Math.addExact(held, delta);
                } catch (ArithmeticException e) {
                    throw new ArithmeticException("Counters.add(\"" + counter + "\", " + key + ", " + delta + "): the"
                            + " sum this node holds for the key (" + held + ", not all persisted yet) would overflow"
                            + " a long; wait for a flush");
                }
            } finally {
                slot.lock.unlock();
            }
        }
    }

    /**
     * Adds {@code delta} and returns once it is in the cluster.
     *
     * @throws NotInCluster if the write that carried it failed or took longer than the timeout: it stays here
     */
    void add(String counter, String key, long delta) {
        Taken taken = take(counter, key, delta);
        long deadline = System.nanoTime() + timeoutNanos;
        write(taken.slot, deadline);
        await(taken.slot, taken.ticket, deadline);
    }

    /**
     * Adds {@code delta} and returns at once: this node holds it until {@link #sendHeld} (or another write of the
     * key) sends it to the cluster.
     */
    void hold(String counter, String key, long delta) {
        take(counter, key, delta);
    }

    /** Where an addition went: its key's slot, and its number there. */
    private record Taken(Slot slot, long ticket) {
    }

    /** Adds {@code delta} to the key's slot, not yet sent. */
    private Taken take(String counter, String key, long delta) {
        while (true) {
            Slot slot = slots.computeIfAbsent(CounterEntry.prefix(counter, key), prefix -> new Slot(counter, key));
            slot.lock.lock();
            try {
                if (slot.retired) {
                    continue;                       // forgotten meanwhile: a fresh slot takes it
                }
                slot.unwritten = Math.addExact(slot.unwritten, delta);
                return new Taken(slot, ++slot.added);
            } finally {
                slot.lock.unlock();
            }
        }
    }

    /**
     * Sends what this node holds for every key to the cluster, the writes of all keys at once, and waits for them
     * on this thread (together at most the timeout); a write that is late ends without it.
     *
     * @throws NotInCluster naming how many writes the cluster refused or did not answer in time, with the first
     *                      refusal as its cause: their amounts stay here for the next call
     */
    void sendHeld() {
        long deadline = System.nanoTime() + timeoutNanos;
        List<Write> started = new ArrayList<>();
        for (Slot slot : slots.values()) {
            Write write = begin(slot);
            if (write != null) {
                started.add(write);
            }
        }
        int late = 0;
        int refused = 0;
        Throwable firstRefusal = null;
        for (Write write : started) {
            try {
                write.sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                written(write.slot, write.next, write.amount, write.upTo, null, false);
            } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                write.endLater();
                late++;
            } catch (java.util.concurrent.ExecutionException e) {
                written(write.slot, write.next, write.amount, write.upTo, e.getCause(), false);
                firstRefusal = firstRefusal == null ? e.getCause() : firstRefusal;
                refused++;
            }
        }
        if (late + refused > 0) {
            throw new NotInCluster(refused + " of " + started.size() + " writes were refused and " + late
                    + " took more than " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", firstRefusal);
        }
    }

    /**
     * Waits until a write carried {@code ticket}, at most until {@code deadline}; when no write of the slot is on
     * its way and the addition is still here, sends it itself.
     */
    private void await(Slot slot, long ticket, long deadline) {
        while (true) {
            slot.lock.lock();
            try {
                while (slot.writing && slot.written < ticket) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new NotInCluster("the write that carries it took more than "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", null);
                    }
                    try {
                        slot.endOf(slot.carrier(ticket)).awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new NotInCluster("interrupted while its write went on", e);
                    }
                    if (slot.writing && slot.written < ticket && slot.failedUpTo < ticket) {
                        earlyWakeUps.increment();
                    }
                }
                if (slot.written >= ticket) {
                    return;
                }
                if (slot.failedUpTo >= ticket) {
                    throw new NotInCluster("the cluster refused the write that carried it", slot.failure);
                }
            } finally {
                slot.lock.unlock();
            }
            write(slot, deadline);
        }
    }

    /**
     * How often a caller woke while the write that carries its addition was still on its way or not yet sent
     * (tests: the writes wake only their own callers).
     */
    long earlyWakeUps() {
        return earlyWakeUps.sum();
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
            Write write = begin(slot);
            if (write == null) {
                return;
            }
            Throwable failure = null;
            try {
                write.sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException late) {
                write.endLater();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                write.endLater();
                return;
            }
            if (!written(slot, write.next, write.amount, write.upTo, failure, true)) {
                return;
            }
        }
    }

    /**
     * Sends what the slot holds, unless a write of it is on its way already or it holds nothing:
     * {@code null} then.
     */
    private Write begin(Slot slot) {
        CounterEntry next;
        long amount;
        long upTo;
        slot.lock.lock();
        try {
            if (slot.writing || slot.unwritten == 0 && slot.added == slot.written) {
                return null;
            }
            amount = slot.unwritten;
            upTo = slot.added;
            next = slot.entry == null
                    ? new CounterEntry(slot.nextId(this), slot.counter, slot.key, amount)
                    : new CounterEntry(slot.entry.id(), slot.counter, slot.key,
                            Math.addExact(slot.entry.total(), amount));
            slot.writing = true;
            slot.sending = upTo;
            slot.writes++;
        } finally {
            slot.lock.unlock();
        }
        java.util.concurrent.CompletableFuture<Void> sent;
        try {
            sent = entries.setAsync(next.id(), next.text()).toCompletableFuture();
        } catch (RuntimeException e) {
            sent = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        return new Write(slot, next, amount, upTo, sent);
    }

    /** One write of a slot on its way: the entry it sets, the amount it adds and the last addition it carries. */
    private record Write(Slot slot, CounterEntry next, long amount, long upTo,
                         java.util.concurrent.CompletableFuture<Void> sent) {

        /** Records the write's end when it comes, without this thread. */
        void endLater() {
            sent.whenComplete((done, failure) -> written(slot, next, amount, upTo, failure, false));
        }
    }

    /**
     * Records how a write ended and wakes its callers; whether it succeeded. When the writing thread goes on to
     * send what was added meanwhile ({@code writerGoesOn}), the callers of that next write sleep on; otherwise
     * they wake too, to send it themselves.
     */
    private static boolean written(Slot slot, CounterEntry next, long amount, long upTo, Throwable failure,
                                   boolean writerGoesOn) {
        slot.lock.lock();
        try {
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
            slot.endOf(slot.writes).signalAll();
            if (!writerGoesOn || failure != null) {
                slot.endOf(slot.writes + 1).signalAll();
            }
        } finally {
            slot.lock.unlock();
        }
        return failure == null;
    }

    /** Sends again what the cluster refused before. How many slots still owe something to the cluster. */
    int retry() {
        int owed = 0;
        for (Slot slot : slots.values()) {
            write(slot, System.nanoTime() + timeoutNanos);
            slot.lock.lock();
            try {
                owed += slot.unwritten != 0 ? 1 : 0;
            } finally {
                slot.lock.unlock();
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
        slot.lock.lock();
        try {
            if (slot.entry != null) {
                return new CounterEntry(slot.entry.id(), counter, key,
                        Math.addExact(slot.entry.total(), slot.unwritten));
            }
            return slot.unwritten == 0 ? null : new CounterEntry(slot.nextId(this), counter, key, slot.unwritten);
        } finally {
            slot.lock.unlock();
        }
    }

    /** What this node holds for the key that the cluster does not hold yet. */
    long notInCluster(String counter, String key) {
        Slot slot = slots.get(CounterEntry.prefix(counter, key));
        if (slot == null) {
            return 0;
        }
        slot.lock.lock();
        try {
            return slot.unwritten;
        } finally {
            slot.lock.unlock();
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
            slot.lock.lock();
            try {
                if (slot.entry != null && !slot.writing && slot.unwritten == 0 && slot.added == slot.written
                        && slot.added == slot.addedAtLastLook) {
                    quiet.put(slot.entry.id(), slot);
                }
                slot.addedAtLastLook = slot.added;
            } finally {
                slot.lock.unlock();
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
            slot.lock.lock();
            try {
                if (done == null || slot.writing || slot.entry == null || !slot.entry.id().equals(id)
                        || Long.parseLong(done) != slot.entry.total() || slot.unwritten != 0
                        || slot.added != slot.written) {
                    return;                         // added to meanwhile, or not persisted in full yet
                }
                slot.writing = true;                // no write of this key until the removal is done
                slot.sending = slot.added;          // none to carry: callers who come meanwhile wait for the next
            } finally {
                slot.lock.unlock();
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
        slot.lock.lock();
        try {
            if (failure == null) {
                slot.entry = null;
            }
            slot.writing = false;
            slot.endOf(slot.writes + 1).signalAll();   // a caller that came meanwhile sends its addition now
        } finally {
            slot.lock.unlock();
        }
    }

    /** Drops the slots that owe nothing and hold no entry, so that keys no longer added to free their memory. */
    void forgetIdle() {
        slots.values().removeIf(slot -> {
            slot.lock.lock();
            try {
                slot.retired = slot.entry == null && !slot.writing && slot.unwritten == 0
                        && slot.added == slot.written;
                return slot.retired;
            } finally {
                slot.lock.unlock();
            }
        });
    }

    /** One key's state on this node, guarded by its lock. */
    private static final class Slot {
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        /**
         * Where the callers of a write sleep until it ends, by the write's number: odd and even writes alternate,
         * so that a write's end wakes its own callers and not those who came while it was on its way.
         */
        private final java.util.concurrent.locks.Condition[] ends = {lock.newCondition(), lock.newCondition()};
        final String counter;
        final String key;
        long unwritten;
        long added;
        long written;
        /** The writes started so far; the last one is on its way while {@link #writing}. */
        long writes;
        /** The last addition the write on its way carries. */
        long sending;
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

        /** The number of the write that carries {@code ticket}: the one on its way, or the next (lock held). */
        long carrier(long ticket) {
            return writing && ticket <= sending ? writes : writes + 1;
        }

        /** Where the callers of write number {@code write} wait for its end (lock held). */
        java.util.concurrent.locks.Condition endOf(long write) {
            return ends[(int) (write & 1)];
        }

        /** The id of the entry the next first write makes (the caller holds the lock). */
        String nextId(NodeAdditions additions) {
            if (nextId == null) {
                nextId = additions.run + "-" + additions.numbers.incrementAndGet();
            }
            return nextId;
        }
    }
}
