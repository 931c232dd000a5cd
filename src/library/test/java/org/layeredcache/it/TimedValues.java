package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.CachedRead;

import java.util.concurrent.atomic.AtomicInteger;

/** What {@link TimedReader} reads: a cached value whose loads are counted. */
@ApplicationScoped
public class TimedValues {

    private final AtomicInteger loads = new AtomicInteger();

    @CachedRead(cache = "it-timer", key = "timed-{id}")
    public String value(long id) {
        loads.incrementAndGet();
        return "value " + id;
    }

    public int loads() {
        return loads.get();
    }
}
