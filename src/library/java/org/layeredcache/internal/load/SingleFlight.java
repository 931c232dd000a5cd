package org.layeredcache.internal.load;

import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.stats.CacheCounters;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Concurrent misses of one key on this node share one load: the first caller leads a {@link Flight}, the others
 * wait for how it {@linkplain #land lands}. Thread-safe.
 *
 * <p>A flight lands with the leader's value only once that value has been published under the usual rules (after
 * the leader's transaction committed, its claim still held); otherwise (rollback, an invalidation meanwhile) it
 * lands with {@link Outcome#RETRY}, and the waiters read again. A failed load lands with its exception, which
 * the waiters of that flight receive too; it is never kept for later callers. An invalidation of the key lets
 * later callers start a new flight at once instead of joining one that can no longer publish.
 */
public final class SingleFlight {

    /** How a flight ended, as its waiters see it. */
    public sealed interface Outcome {
        /** The value the leader loaded and published (the stored form). */
        record Value(Object stored) implements Outcome {
        }

        /** The leader's load threw this. */
        record Failed(Exception failure) implements Outcome {
        }

        /** Nothing to share: read again. */
        record Retry() implements Outcome {
        }

        /** The waiter's bound passed before the flight landed. */
        record TimedOut() implements Outcome {
        }

        Outcome RETRY = new Retry();
        Outcome TIMED_OUT = new TimedOut();
    }

    /** One load in flight, led by the thread that started it. */
    public static final class Flight {
        /** The thread whose call leads the load, while that call is on its stack ({@code null} once it returned). */
        private volatile Thread leader = Thread.currentThread();
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

        /**
         * The leading call returned while its load goes on (an asynchronous load, whose stage completes later): a
         * read that the same thread makes later (a pooled thread serving another caller) is then not the leader's
         * own and joins the flight like any other.
         */
        public void leaderReturned() {
            leader = null;
        }

        /**
         * The outcome as a stage of its own, {@link Outcome#TIMED_OUT} once {@code nanos} passed: for a waiter that
         * must not block its thread.
         */
        public CompletableFuture<Outcome> outcome(long nanos) {
            return outcome.thenApply(landed -> landed)
                    .completeOnTimeout(Outcome.TIMED_OUT, Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }

        /** Waits at most {@code nanos} for the outcome. */
        public Outcome await(long nanos) {
            try {
                return outcome.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return Outcome.TIMED_OUT;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.TIMED_OUT;
            } catch (ExecutionException e) {
                return Outcome.RETRY;
            }
        }
    }

    /**
     * What {@link #join} gave: a flight this caller now leads, one to wait for, or neither (the caller already
     * leads this key's flight further up its own stack, and must load by itself rather than wait for itself).
     */
    public record Joined(Flight flight, boolean leads) {
        public boolean alone() {
            return flight == null;
        }
    }

    /**
     * How waiting for another caller's load ended for this caller, written once for the reads of one key and of
     * many: its value ({@link #got()}), nothing to share ({@link #AGAIN}: read again), or the wait gave up
     * ({@link #GAVE_UP}: load by itself).
     */
    public record Waited(Object stored, boolean gaveUp) {
        public static final Waited AGAIN = new Waited(null, false);
        public static final Waited GAVE_UP = new Waited(null, true);

        /** Whether the other load's value came (a stored form, never {@code null}). */
        public boolean got() {
            return stored != null;
        }
    }

    /**
     * Waits for another caller's {@code flight} until {@code deadline} ({@link System#nanoTime()}), counted: the
     * start of the wait, a value or exception shared, a wait given up.
     *
     * @throws Exception the exception the other load threw, unchanged
     */
    public static Waited await(Flight flight, long deadline, CacheCounters counters) throws Exception {
        counters.waitStarted();
        Outcome outcome = flight.await(deadline - System.nanoTime());
        if (outcome instanceof Outcome.Value value) {
            counters.sharedLoad();
            return new Waited(value.stored(), false);
        }
        if (outcome instanceof Outcome.Failed failed) {
            counters.sharedLoad();
            throw failed.failure();
        }
        if (outcome == Outcome.TIMED_OUT) {
            counters.waitGivenUp();
            return Waited.GAVE_UP;
        }
        return Waited.AGAIN;
    }

    private final ConcurrentHashMap<CacheKey, Flight> flights = new ConcurrentHashMap<>();

    public Joined join(CacheKey key) {
        Flight mine = new Flight();
        Flight existing = flights.putIfAbsent(key, mine);
        if (existing == null) {
            return new Joined(mine, true);
        }
        return existing.leader == Thread.currentThread() ? new Joined(null, false) : new Joined(existing, false);
    }

    /** The key's flight in progress led by another thread, or {@code null}; joins nothing. */
    public Flight othersFlight(CacheKey key) {
        Flight existing = flights.get(key);
        return existing == null || existing.leader == Thread.currentThread() ? null : existing;
    }

    /**
     * Ends the flight: its waiters get {@code outcome}, later callers start a new one. No flight ({@code null}: the
     * caller led none), nothing to do.
     */
    public void land(CacheKey key, Flight flight, Outcome outcome) {
        if (flight != null) {
            flights.remove(key, flight);
            flight.outcome.complete(outcome);
        }
    }

    /** The key was invalidated: later callers start a new flight (the current one lands as it will). */
    public void invalidate(CacheKey key) {
        flights.remove(key);
    }

    public void invalidateAll() {
        flights.clear();
    }

    /** Flights in progress (for tests and statistics). */
    int inFlight() {
        return flights.size();
    }
}
