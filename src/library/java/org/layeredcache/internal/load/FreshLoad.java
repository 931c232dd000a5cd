package org.layeredcache.internal.load;

import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.NullValue;

import java.util.concurrent.Callable;

/**
 * A call of a cached method made only to see what it answers now (the consistency auditor's): when the call
 * reaches its cache's read of the key, the method runs and its stored form is kept here, and no layer is asked or
 * written, nothing published, no flight joined. Belongs to the thread that runs it; one at a time.
 */
public final class FreshLoad {

    private static final ThreadLocal<FreshLoad> CURRENT = new ThreadLocal<>();
    /** How many fresh loads run on any thread: while none does, a read need not look at its thread's. */
    private static final java.util.concurrent.atomic.AtomicInteger RUNNING =
            new java.util.concurrent.atomic.AtomicInteger();

    private final String cache;
    private final CacheKey key;
    private Object stored;
    private boolean loaded;

    public FreshLoad(String cache, CacheKey key) {
        this.cache = cache;
        this.key = key;
    }

    /**
     * Makes {@code call} (the same call, made again through the bean) with this fresh load current on this thread.
     *
     * @return the stored form of what the method answered ({@link NullValue} for nothing)
     * @throws IllegalStateException if the call never reached the read of this key
     * @throws Exception             whatever the call throws
     */
    public Object run(Callable<?> call) throws Exception {
        CURRENT.set(this);
        RUNNING.incrementAndGet();
        try {
            call.call();
        } finally {
            RUNNING.decrementAndGet();
            CURRENT.remove();
        }
        if (!loaded) {
            throw new IllegalStateException("the call made again did not read key " + key + " of cache '" + cache
                    + "'");
        }
        return stored;
    }

    /** The fresh load that this read of {@code key} in {@code cache} is, or {@code null} for an ordinary read. */
    public static FreshLoad claim(String cache, CacheKey key) {
        if (RUNNING.get() == 0) {
            return null;                                    // the common case: one volatile read
        }
        FreshLoad fresh = CURRENT.get();
        if (fresh == null || !fresh.cache.equals(cache) || !fresh.key.equals(key)) {
            return null;
        }
        CURRENT.remove();                                   // nested calls read as usual
        return fresh;
    }

    /** Runs the method, keeps and answers its stored form. */
    public Object load(Callable<Object> method) throws Exception {
        stored = NullValue.wrap(method.call());
        loaded = true;
        return stored;
    }
}
