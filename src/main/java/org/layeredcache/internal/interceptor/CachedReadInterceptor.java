package org.layeredcache.internal.interceptor;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.layeredcache.CachedRead;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.CacheLayers;

/** Routes calls of {@link CachedRead} methods through the cache layers. Internal: enabled by its priority. */
@CachedRead(cache = "")
@Interceptor
@Priority(CachedReadInterceptor.PRIORITY)
public class CachedReadInterceptor {

    /** Inside {@link InvalidatesInterceptor}, outside {@link RequestCachedInterceptor}. */
    static final int PRIORITY = Interceptor.Priority.LIBRARY_BEFORE + 200;

    @Inject
    CacheOperations operations;

    @Inject
    CacheLayers layers;

    @Inject
    BeanCalls beanCalls;

    @AroundInvoke
    Object read(InvocationContext call) throws Exception {
        ReadOperation operation = operations.read(call.getMethod(), call.getTarget());
        if (operation == null) {
            return call.proceed();
        }
        CacheKey key;
        try {
            key = operation.key().keyFor(call.getParameters());
        } catch (RuntimeException e) {
            layers.fault(operation.cache(), "key " + operation.key(), e);
            return layers.uncached(operation.cache(), operation.optional(), call::proceed);
        }
        return layers.read(operation.cache(), key, operation.times(), operation.optional(), call::proceed,
                () -> beanCalls.later(call.getMethod(), call.getTarget().getClass(), call.getParameters()));
    }
}
