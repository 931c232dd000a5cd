package org.layeredcache.jmh;

import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.CachedRead;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A slow read (200 ms, as a heavy query) for the stampede measurements of {@code src/bench/stampede.sh}: how often
 * the method runs when many callers miss one key at once, and under steady load with a short TTL, with and
 * without refresh-ahead.
 */
@ApplicationScoped
public class Stampede {

    private final AtomicLong loads = new AtomicLong();

    public long loads() {
        return loads.get();
    }

    @CachedRead(cache = "stampede", key = "item-{id}")
    public String cold(long id) throws InterruptedException {
        return slow(id);
    }

    @CachedRead(cache = "stampede-short", key = "item-{id}", ttl = "2s")
    public String shortLived(long id) throws InterruptedException {
        return slow(id);
    }

    @CachedRead(cache = "stampede-refreshed", key = "item-{id}", ttl = "2s", refreshAfter = "1s")
    public String refreshedAhead(long id) throws InterruptedException {
        return slow(id);
    }

    private String slow(long id) throws InterruptedException {
        long load = loads.incrementAndGet();
        Thread.sleep(200);
        return "item " + id + " load " + load;
    }
}
