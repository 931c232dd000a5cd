package org.layeredcache.testing;

import java.util.concurrent.atomic.AtomicInteger;

/** How often a test bean's method really ran (a load, a call): the one counter the test beans share. Thread-safe. */
public final class Counter {

    private final AtomicInteger count = new AtomicInteger();

    /** Counts one more run and answers its number (1 for the first). */
    public int next() {
        return count.incrementAndGet();
    }

    public int count() {
        return count.get();
    }
}
