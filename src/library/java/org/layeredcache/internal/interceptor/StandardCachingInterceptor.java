package org.layeredcache.internal.interceptor;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.layeredcache.internal.cache.CacheLayers;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.CacheOperations;
import org.layeredcache.internal.operation.StandardCaching;
import org.layeredcache.internal.operation.StandardOperation;

import java.util.concurrent.Callable;

/**
 * Routes calls of methods annotated with the JSR-107 annotations through the cache layers: {@code @CacheResult}
 * reads as {@code @CachedRead} does (request, near, cluster, single flight, claims, publication after the commit),
 * {@code @CachePut} and {@code @CacheRemove}/{@code @CacheRemoveAll} put and drop entries on every node after the
 * commit (or at once, with the specification's timing), with the specification's rules on which exceptions cause
 * them. Internal: the deployment binds it in place of the JSR-107 annotations; enabled by its priority.
 */
@StandardCaching
@Interceptor
@Priority(CachedReadInterceptor.PRIORITY)
public class StandardCachingInterceptor {

    private static final String[] NO_TAGS = new String[0];

    @Inject
    CacheOperations operations;

    @Inject
    CacheLayers layers;

    @Inject
    BeanCalls beanCalls;

    @AroundInvoke
    Object intercept(InvocationContext call) throws Exception {
        StandardOperation operation = operations.standard(call.getMethod(), call.getTarget());
        if (operation == null) {
            return call.proceed();
        }
        Object[] arguments = call.getParameters();
        String cache;
        try {
            cache = operation.cacheFor(call.getTarget(), arguments);
        } catch (RuntimeException e) {
            // Without the cache: the call runs; nothing is read, put or removed.
            layers.fault(operation.cache(), "cache resolver", e);
            return call.proceed();
        }
        if (operation.kind() == StandardOperation.Kind.REMOVE_ALL) {
            return around(call, operation, () -> invalidateAll(operation, cache));
        }
        CacheKey key;
        try {
            key = operation.keyFor(call.getTarget(), arguments);
        } catch (RuntimeException e) {
            // Without the key: a read runs uncached; a write drops the whole cache, the only safe change.
            layers.fault(cache, "key " + (operation.generator() == null ? operation.key()
                    : operation.generator().getClass().getName()), e);
            if (operation.kind() == StandardOperation.Kind.RESULT) {
                return layers.uncached(cache, false, call::proceed);
            }
            return around(call, operation, () -> invalidateAll(operation, cache));
        }
        return switch (operation.kind()) {
            case RESULT -> result(call, arguments, operation, cache, key);
            case PUT -> around(call, operation, () -> layers.put(cache, key,
                    arguments[operation.valueParameter()], StandardOperation.TIMES, operation.immediate()));
            default -> around(call, operation, () -> invalidate(operation, cache, key));
        };
    }

    /**
     * {@code @CacheResult}: the value is read through the layers ({@code skipGet}: the method always runs and its
     * value is put); on a miss, an exception cached for the key is thrown again instead of calling the method (so a
     * hit costs no look at the exception cache); an exception the filter names is cached, at once, in the exception
     * cache.
     */
    private Object result(InvocationContext call, Object[] arguments, StandardOperation operation, String cache,
                          CacheKey key) throws Exception {
        String exceptionCache = exceptionCache(call, arguments, operation);
        boolean[] fromExceptionCache = exceptionCache == null ? null : new boolean[1];
        Callable<Object> method = exceptionCache == null ? call::proceed : () -> {
            if (layers.peek(exceptionCache, key) instanceof Throwable cached) {
                fromExceptionCache[0] = true;
                throw rethrowable(cached);
            }
            return call.proceed();
        };
        try {
            if (operation.skipGet()) {                   // no look at either cache: the method always runs
                Object result = call.proceed();
                layers.put(cache, key, result, StandardOperation.TIMES, operation.immediate());
                return result;
            }
            return layers.read(cache, key, () -> NO_TAGS, false, operation.read().times(),
                    operation.read().optional(), null, method,
                    () -> beanCalls.later(call.getMethod(), call.getTarget().getClass(), arguments));
        } catch (Exception | Error failure) {
            if (exceptionCache != null && !fromExceptionCache[0] && operation.onFailure().test(failure)) {
                layers.put(exceptionCache, key, failure, StandardOperation.TIMES, true);
            }
            throw failure;
        }
    }

    /** The call's exception cache, or {@code null}: none named, or its resolver failed (counted). */
    private String exceptionCache(InvocationContext call, Object[] arguments, StandardOperation operation) {
        try {
            return operation.exceptionCacheFor(call.getTarget(), arguments);
        } catch (RuntimeException e) {
            layers.fault(operation.cache(), "exception cache resolver", e);
            return null;
        }
    }

    /**
     * A put or removal around the call: before it ({@code afterInvocation = false}), whatever happens; or after it,
     * when it returned or threw an exception the annotation's filter names.
     */
    private Object around(InvocationContext call, StandardOperation operation, Runnable change) throws Exception {
        if (!operation.afterInvocation()) {
            change.run();
            return call.proceed();
        }
        Object result;
        try {
            result = call.proceed();
        } catch (Exception | Error failure) {
            if (operation.onFailure().test(failure)) {
                change.run();
            }
            throw failure;
        }
        change.run();
        return result;
    }

    private void invalidate(StandardOperation operation, String cache, CacheKey key) {
        if (operation.immediate()) {
            layers.invalidateNow(cache, key);
        } else {
            layers.invalidate(cache, key);
        }
    }

    private void invalidateAll(StandardOperation operation, String cache) {
        if (operation.immediate()) {
            layers.invalidateAllNow(cache);
        } else {
            layers.invalidateAll(cache);
        }
    }

    private static Exception rethrowable(Throwable cached) {
        if (cached instanceof Error error) {
            throw error;
        }
        return cached instanceof Exception exception ? exception : new IllegalStateException(cached);
    }
}
