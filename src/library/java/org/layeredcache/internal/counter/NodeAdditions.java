package org.layeredcache.internal.counter;

import org.layeredcache.internal.cluster.SharedMap;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's additions on their way to the cluster: one slot per counter and key, each with one
 * {@link CounterEntry} in the cluster that only this node writes. Additions of one key made at once share one
 * cluster write (the first caller writes what all of them added while it waited; the others wait for it), so a hot
 * key costs one round trip per batch, not per addition. An amount the cluster refused stays in its slot, counted
 * as pending here, until {@link #retry} writes it. Thread-safe.
 */
final class NodeAdditions {

    /** How long a caller waits for another caller's write that carries its addition. */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final SharedMap entries;
    private final String run = UUID.randomUUID().toString();
    private final AtomicLong numbers = new AtomicLong();
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    NodeAdditions(SharedMap entries) {
        this.entries = entries;
    }

    /** What an addition that did not reach the cluster leaves: the amount stays here, to be retried. */
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
                try {
                    Math.addExact(Math.addExact(slot.inCluster, slot.unwritten), delta);
                } catch (ArithmeticException e) {
                    throw new ArithmeticException("Counters.add(\"" + counter + "\", " + key + ", " + delta + "): the"
                            + " sum this node holds for the key (" + (slot.inCluster + slot.unwritten) + " not yet"
                            + " persisted) would overflow a long; wait for a flush");
                }
            }
        }
    }

    /**
     * Adds {@code delta} and returns once it is in the cluster.
     *
     * @throws NotInCluster if the cluster refused the write that carried it: it stays here and is retried
     */
    void add(String counter, String key, long delta) {
        Slot slot;
        long ticket;
        boolean writer;
        while (true) {
            slot = slots.computeIfAbsent(CounterEntry.prefix(counter, key), prefix -> new Slot(counter, key));
            synchronized (slot) {
                if (slot.retired) {
                    continue;                       // forgotten meanwhile: a fresh slot takes it
                }
                slot.unwritten = Math.addExact(slot.unwritten, delta);
                ticket = ++slot.added;
                writer = !slot.writing;
                slot.writing |= writer;
                break;
            }
        }
        if (!writer && !awaitWrite(slot, ticket)) {
            writer = true;                          // the writer stopped before carrying it: write it ourselves
        }
        if (writer) {
            drain(slot, ticket);
        }
    }

    /** Waits until a write carried {@code ticket}; false if the writer stopped first and this caller must write. */
    private static boolean awaitWrite(Slot slot, long ticket) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        synchronized (slot) {
            while (slot.written < ticket) {
                if (slot.failedUpTo >= ticket) {
                    throw new NotInCluster("the cluster refused the write that carried it", slot.failure);
                }
                if (!slot.writing) {
                    slot.writing = true;
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new NotInCluster("the write that carries it takes more than 30 s", null);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(slot, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NotInCluster("interrupted while its write went on", e);
                }
            }
            return true;
        }
    }

    /** Writes what the slot holds until nothing is left (as the one writer of the slot). */
    private void drain(Slot slot, long ticket) {
        while (true) {
            long amount;
            long upTo;
            synchronized (slot) {
                amount = slot.unwritten;
                upTo = slot.added;
                if (upTo == slot.written && amount == 0) {
                    slot.writing = false;
                    slot.notifyAll();
                    return;
                }
            }
            try {
                write(slot, amount);
            } catch (RuntimeException e) {
                synchronized (slot) {
                    slot.failedUpTo = upTo;
                    slot.failure = e;
                    slot.writing = false;
                    slot.notifyAll();
                }
                if (ticket > 0 && ticket <= upTo) {
                    throw new NotInCluster("the cluster refused it", e);
                }
                return;
            }
            synchronized (slot) {
                slot.unwritten -= amount;
                slot.written = upTo;
                slot.notifyAll();
            }
        }
    }

    /** One cluster write of {@code amount} more; only the slot's writer calls it. */
    private void write(Slot slot, long amount) {
        if (slot.entry != null) {
            CounterEntry next = new CounterEntry(slot.entry.id(), slot.counter, slot.key,
                    Math.addExact(slot.entry.total(), amount));
            if (entries.replace(next.id(), slot.entry.text(), next.text())) {
                slot.entry = next;
                slot.inCluster = next.total();
                return;
            }
            // The flusher removed it, persisted in full: the additions go on in a new entry.
        }
        CounterEntry fresh = new CounterEntry(run + "-" + numbers.incrementAndGet(), slot.counter, slot.key, amount);
        entries.put(fresh.id(), fresh.text(), 0);
        slot.entry = fresh;
        slot.inCluster = fresh.total();
    }

    /** Writes the amounts the cluster refused before; what it refuses again stays. How many slots are still owed. */
    int retry() {
        int owed = 0;
        for (Slot slot : slots.values()) {
            boolean writer;
            synchronized (slot) {
                writer = slot.unwritten != 0 && !slot.writing;
                slot.writing |= writer;
            }
            if (writer) {
                drain(slot, 0);
                synchronized (slot) {
                    owed += slot.unwritten != 0 ? 1 : 0;
                }
            }
        }
        return owed;
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

    /** Drops the slots that owe nothing and wait for no write, so that keys no longer added to free their memory. */
    void forgetIdle() {
        slots.values().removeIf(slot -> {
            synchronized (slot) {
                slot.retired = !slot.writing && slot.unwritten == 0 && slot.added == slot.written;
                return slot.retired;
            }
        });
    }

    /** One key's state on this node; its fields are guarded by its monitor, {@link #entry} by being the writer. */
    private static final class Slot {
        final String counter;
        final String key;
        long unwritten;
        long added;
        long written;
        long failedUpTo;
        RuntimeException failure;
        boolean writing;
        /** Removed from the slots: additions go to a fresh one. */
        boolean retired;
        CounterEntry entry;
        /** The total of {@link #entry}, for the overflow check. */
        volatile long inCluster;

        Slot(String counter, String key) {
            this.counter = counter;
            this.key = key;
        }
    }
}
