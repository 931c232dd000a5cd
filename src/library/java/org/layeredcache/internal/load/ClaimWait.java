package org.layeredcache.internal.load;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.layeredcache.internal.cluster.Reservation;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.stats.CacheCounters;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting for another node's load of a key: a read that finds the key claimed in the cluster looks again after a
 * pause that doubles (2 ms up to 50 ms) until the value is there or its deadline passes. A claim this node gave up
 * on is not waited for again until the load lease ends (its node may be gone): until then the key is loaded on
 * each read. Only the leader of the key's flight on this node waits; the others wait for it. Thread-safe.
 */
public final class ClaimWait {

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Other loads' claims this node stopped waiting for. */
    private final Cache<CacheKey, Reservation> abandoned;
    private final CacheCounters counters;

    public ClaimWait(Duration loadLease, CacheCounters counters) {
        this.abandoned = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(loadLease)
                .executor(Runnable::run).build();
        this.counters = counters;
    }

    /** The waiting of one read of {@code key}, which may last until {@code deadline} ({@link System#nanoTime()}). */
    public Waiting start(CacheKey key, long deadline) {
        return new Waiting(key, deadline);
    }

    /** One read's waiting; used by that read's thread only. */
    public final class Waiting {
        private final CacheKey key;
        private final long deadline;
        private long pauseNanos = FIRST_PAUSE_NANOS;
        private boolean started;

        private Waiting(CacheKey key, long deadline) {
            this.key = key;
            this.deadline = deadline;
        }

        /**
         * The cluster shows {@code claim}, another load's: pauses and answers {@code true} to look again, or
         * answers {@code false} at once to load without waiting (this read does not lead the key's flight, the
         * claim was given up on before, the deadline passed, or the thread was interrupted).
         */
        public boolean pause(Reservation claim, boolean leads) {
            if (!leads || claim.equals(abandoned.getIfPresent(key))) {
                return false;
            }
            if (!started) {
                started = true;
                counters.waitStarted();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                counters.waitGivenUp();
                abandoned.put(key, claim);
                return false;
            }
            LockSupport.parkNanos(Math.min(pauseNanos, left));
            pauseNanos = Math.min(pauseNanos * 2, MAX_PAUSE_NANOS);
            return !Thread.currentThread().isInterrupted();
        }
    }
}
