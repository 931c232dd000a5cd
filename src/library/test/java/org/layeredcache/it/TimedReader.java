package org.layeredcache.it;

import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An EJB timer that reads through a cache every second once a test arms it with an id, as a user's scheduled
 * refresh would: its calls run in the container's timeout transaction and request context.
 */
@Singleton
@Startup
@Lock(LockType.READ)
public class TimedReader {

    @Inject
    TimedValues values;

    private final AtomicLong armedFor = new AtomicLong(-1);
    private final AtomicInteger reads = new AtomicInteger();

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    void tick() {
        long id = armedFor.get();
        if (id >= 0) {
            values.value(id);
            reads.incrementAndGet();
        }
    }

    public void arm(long id) {
        armedFor.set(id);
    }

    public void disarm() {
        armedFor.set(-1);
    }

    public int reads() {
        return reads.get();
    }
}
