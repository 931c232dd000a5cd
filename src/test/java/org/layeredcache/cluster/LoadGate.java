package org.layeredcache.cluster;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a test hold one load right after it has read the database, so that a write can commit and invalidate in
 * between: the stale-set race, forced.
 */
@ApplicationScoped
public class LoadGate {

    private volatile long armedFor = -1;
    private volatile CountDownLatch paused = new CountDownLatch(1);
    private volatile CountDownLatch released = new CountDownLatch(1);

    public synchronized void arm(long id) {
        paused = new CountDownLatch(1);
        released = new CountDownLatch(1);
        armedFor = id;
    }

    /** Called by a load after it read the database: holds it if the gate is armed for this id. */
    void passing(long id) {
        if (armedFor != id) {
            return;
        }
        armedFor = -1;
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
