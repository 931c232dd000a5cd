package org.layeredcache.internal.task;

import org.layeredcache.CacheTasks;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.CacheOperations;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The work of {@link CacheTasks#warmUp}: each key read through its {@code @CachedRead} method, called on the bean
 * as a client would ({@link BeanCalls}), so the caching rules apply as to any call. The keys are checked when the
 * warm-up is made, so bad input is refused before anything starts.
 */
final class WarmUp implements CacheTasks.Work {

    private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());

    private final String cache;
    private final List<String> keys;
    private final List<Callable<Object>> reads;

    /** @throws IllegalArgumentException naming the cache or the first key that no read of it can be called for */
    WarmUp(String cache, List<String> keys, CacheOperations operations, BeanCalls calls) {
        this.cache = cache;
        this.keys = List.copyOf(keys);
        if (operations.keyTemplates(cache).isEmpty()) {
            throw new IllegalArgumentException("warm-up: no @CachedRead of the deployment reads cache '" + cache + "'");
        }
        if (this.keys.isEmpty()) {
            throw new IllegalArgumentException("warm-up of cache '" + cache + "': no keys given");
        }
        reads = new ArrayList<>(this.keys.size());
        for (String key : this.keys) {
            Map.Entry<Method, Object[]> call = operations.callFor(cache, key).orElseThrow(() ->
                    new IllegalArgumentException("warm-up of cache '" + cache + "': key '" + key + "' does not fit"
                            + " a key template whose placeholders are its method's parameters, each whole "
                            + operations.keyTemplates(cache)));
            reads.add(calls.later(call.getKey(), call.getKey().getDeclaringClass(), call.getValue()));
        }
    }

    @Override
    public void run(CacheTasks.Progress progress) throws Exception {
        progress.total(reads.size());
        int failed = 0;
        Exception first = null;
        for (int i = 0; i < reads.size(); i++) {
            try {
                reads.get(i).call();
            } catch (Exception e) {
                failed++;
                if (first == null) {
                    first = e;
                    LOG.log(Level.WARNING, "Warm-up of cache '" + cache + "': reading key '" + keys.get(i)
                            + "' failed; the warm-up goes on", e);
                }
            }
            progress.step();
        }
        if (first != null) {
            throw new IllegalStateException(failed + " of " + reads.size() + " key(s) of cache '" + cache
                    + "' could not be read; the first: " + first, first);
        }
    }
}
