package org.layeredcache.internal.task;

import org.layeredcache.CacheTasks;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.PreloadOperation;

import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The work of {@link CacheTasks#preload}: calls the cache's {@code @Preloads} method through its bean (outside any
 * transaction of the library's), and hands its values, one at a time, to the cache's preload, which writes them in
 * chunks. A stream is read while the call's request context is still active, and closed at the end.
 */
final class PreloadWork implements CacheTasks.Work {

    private final PreloadOperation preload;
    private final BeanCalls calls;
    private final CacheRegistry registry;

    PreloadWork(PreloadOperation preload, BeanCalls calls, CacheRegistry registry) {
        this.preload = preload;
        this.calls = calls;
        this.registry = registry;
    }

    @Override
    public void run(CacheTasks.Progress progress) throws Exception {
        Callable<Void> call = calls.later(preload.method(), preload.method().getDeclaringClass(), new Object[0],
                values -> {
                    fill(values, progress);
                    return null;
                });
        call.call();
    }

    private void fill(Object values, CacheTasks.Progress progress) {
        if (values == null) {
            throw new IllegalStateException(preload.method() + " returned null instead of the values to preload");
        }
        if (values instanceof Collection<?> collection) {
            progress.total(collection.size());
        }
        if (values instanceof Stream<?> stream) {
            try (stream) {
                write(stream.iterator(), progress);
            }
        } else {
            write(((Iterable<?>) values).iterator(), progress);
        }
    }

    private void write(Iterator<?> values, CacheTasks.Progress progress) {
        registry.preload(preload.cache(), values, preload.key()::keyOfValue, preload.times(), progress);
    }
}
