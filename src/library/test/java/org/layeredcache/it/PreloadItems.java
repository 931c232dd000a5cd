package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.CachedRead;
import org.layeredcache.Preloads;

import java.io.Serializable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A cache filled by a bulk preload inside Payara: {@code count} items from {@code first}; item {@code first + 3}
 * is larger than the cache's size limit (2KB, see the deployment). When {@link #slowAfter} is set, the stream
 * waits for it before each item past the 25th.
 */
@ApplicationScoped
public class PreloadItems {

    public record Item(long id, String text) implements Serializable {
    }

    static volatile long first;
    static volatile int count;
    static volatile CountDownLatch slowAfter;
    static final AtomicInteger LOADS = new AtomicInteger();

    @CachedRead(cache = "it-preload", key = "item-{id}")
    public Item item(long id) {
        LOADS.incrementAndGet();
        return new Item(id, text(id));
    }

    @Preloads(cache = "it-preload", key = "item-{id}")
    public Stream<Item> everyItem() {
        long from = first;
        CountDownLatch slow = slowAfter;
        return LongStream.range(from, from + count).mapToObj(id -> {
            if (slow != null && id >= from + 25) {
                try {
                    slow.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Item(id, text(id));
        });
    }

    private static String text(long id) {
        return id == first + 3 ? "y".repeat(4_000) : "item " + id;
    }
}
