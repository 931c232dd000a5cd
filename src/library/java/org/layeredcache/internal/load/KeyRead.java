package org.layeredcache.internal.load;

import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.RequestEntries;
import org.layeredcache.internal.stats.CacheCounters;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One read of one key: what it needs on every path, and until when it may wait for another load.
 *
 * @param request      the current request's entries of the cache ({@link RequestEntries#NONE} outside one)
 * @param tags         the tags of the entry, rendered for this call when a load needs them
 * @param trackEntities whether the load records the JPA entities it reads as further tags
 * @param times        the entry times, configuration applied
 * @param unless       whether a loaded value (its stored form) is kept out of every layer; {@code null}: never
 * @param method       the call's own method, proceeding with the interceptor chain
 * @param reinvocation the same call through the bean, for a refresh-ahead
 * @param deadline     the {@link System#nanoTime()} until which it may wait for another load
 * @param async        whether the method answers a {@code CompletionStage} of its value: a load then answers a
 *                     {@link PendingLoad}
 */
public record KeyRead(RequestEntries request, CacheKey key, Supplier<String[]> tags, boolean trackEntities,
                      EntryTimes times, Predicate<Object> unless, Callable<Object> method,
                      Supplier<Callable<Object>> reinvocation, long deadline, boolean async) {

    public Duration ttl() {
        return times.ttl();
    }

    /**
     * Whether the read's {@code unless} keeps this loaded value (its stored form) out of every layer; counted. One
     * that cannot be evaluated counts as a fault and keeps it out.
     */
    public boolean keepsOut(Object stored, CacheCounters counters) {
        if (unless == null) {
            return false;
        }
        boolean out;
        try {
            out = unless.test(stored);
        } catch (RuntimeException e) {
            counters.fault("unless", e);
            out = true;
        }
        if (out) {
            counters.notCached();
        }
        return out;
    }

    /** Whether the time it may wait for another load is over. */
    public boolean pastDeadline() {
        return System.nanoTime() - deadline >= 0;
    }
}
