package org.layeredcache.cluster;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a test hold one load right after it has read the database, so that a write can commit and invalidate in
 * between: the stale-set race, forced.
 */
@ApplicationScoped
public class LoadGate {

    private final AtomicLong armedFor = new AtomicLong(-1);
    private volatile CountDownLatch paused = new CountDownLatch(1);
    private volatile CountDownLatch released = new CountDownLatch(1);

    public synchronized void arm(long id) {
        paused = new CountDownLatch(1);
        released = new CountDownLatch(1);
        armedFor.set(id);
    }

    /**
     * Called by a load after it read the database: holds it if the gate is armed for this id. Exactly one load is
     * held per arming, even when several load the id at once: checking and disarming are one atomic step.
     */
    void passing(long id) {
        if (!armedFor.compareAndSet(id, -1)) {
            return;
        }
        paused.countDown();
        try {
            if (!released.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean awaitPaused() throws InterruptedException {
        return paused.await(30, TimeUnit.SECONDS);
    }

    public void release() {
        released.countDown();
    }
}
