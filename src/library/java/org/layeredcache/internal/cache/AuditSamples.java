package org.layeredcache.internal.cache;

import org.layeredcache.internal.key.CacheKey;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The entries of one cache that its reads offer the consistency auditor: after each {@link #take}, the first hit
 * that follows (near or cluster, of a read that answers its value itself) leaves its key and the same call, to be
 * made again. So a check samples reads as callers make them: a key read often is checked often. A cache that is
 * not audited offers nothing and pays one field read per hit. Thread-safe.
 */
public final class AuditSamples {

    /** One read offered: its key, and the same call made again through the bean. */
    public record Sample(CacheKey key, Callable<Object> again) {
    }

    private final boolean audited;
    private volatile boolean wanted;
    private final AtomicReference<Sample> offered = new AtomicReference<>();

    AuditSamples(boolean audited) {
        this.audited = audited;
    }

    /** Whether the cache is audited: then a read of it may be a fresh load ({@code FreshLoad}). */
    boolean audited() {
        return audited;
    }

    /** A hit of {@code key}: offered if a sample is wanted. */
    void hit(CacheKey key, Supplier<Callable<Object>> reinvocation) {
        if (wanted && reinvocation != null) {
            wanted = false;
            offered.set(new Sample(key, reinvocation.get()));
        }
    }

    /** The read offered since the last take, or {@code null}; the next hit is offered. */
    public Sample take() {
        Sample sample = offered.getAndSet(null);
        wanted = audited;
        return sample;
    }
}
