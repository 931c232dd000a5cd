package org.layeredcache.internal.interceptor;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.layeredcache.RequestCached;
import org.layeredcache.internal.cache.CacheLayers;
import org.layeredcache.internal.operation.CacheOperations;
import org.layeredcache.internal.operation.MemoOperation;

/** Memoizes calls of {@link RequestCached} methods for the current request. Internal: enabled by its priority. */
@RequestCached
@Interceptor
@Priority(RequestCachedInterceptor.PRIORITY)
public class RequestCachedInterceptor {

    /** The innermost of the three. */
    static final int PRIORITY = Interceptor.Priority.LIBRARY_BEFORE + 300;

    @Inject
    CacheOperations operations;

    @Inject
    CacheLayers layers;

    @AroundInvoke
    Object memoize(InvocationContext call) throws Exception {
        MemoOperation operation = operations.memo(call.getMethod(), call.getTarget());
        if (operation == null) {
            return call.proceed();
        }
        return layers.memoize(operation.namespace(), operation.key().keyFor(call.getParameters()), call::proceed);
    }
}
