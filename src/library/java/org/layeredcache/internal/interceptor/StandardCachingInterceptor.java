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
        if (operation.kind() == StandardOperation.Kind.REMOVE_ALL) {
            return around(call, operation, () -> invalidateAll(operation));
        }
        CacheKey key;
        try {
            key = operation.keyFor(call.getTarget(), call.getParameters());
        } catch (RuntimeException e) {
            // Without the key: a read runs uncached; a write drops the whole cache, the only safe change.
            layers.fault(operation.cache(), "key " + (operation.generator() == null ? operation.key()
                    : operation.generator().getClass().getName()), e);
            if (operation.kind() == StandardOperation.Kind.RESULT) {
                return layers.uncached(operation.cache(), false, call::proceed);
            }
            return around(call, operation, () -> invalidateAll(operation));
        }
        return switch (operation.kind()) {
            case RESULT -> result(call, operation, key);
            case PUT -> around(call, operation, () -> put(operation, key,
                    call.getParameters()[operation.valueParameter()]));
            default -> around(call, operation, () -> invalidate(operation, key));
        };
    }

    /**
     * {@code @CacheResult}: an exception cached for the key is thrown again; else the value is read through the
     * layers ({@code skipGet}: the method always runs and its value is put); an exception the filter names is
     * cached, at once, in the exception cache.
     */
    private Object result(InvocationContext call, StandardOperation operation, CacheKey key) throws Exception {
        if (operation.exceptionCache() != null
                && layers.peek(operation.exceptionCache(), key) instanceof Throwable cached) {
            throw rethrowable(cached);
        }
        try {
            if (operation.skipGet()) {
                Object result = call.proceed();
                layers.put(operation.cache(), key, result, StandardOperation.TIMES, operation.immediate());
                return result;
            }
            return layers.read(operation.cache(), key, () -> NO_TAGS, false, operation.read().times(),
                    operation.read().optional(), null, call::proceed,
                    () -> beanCalls.later(call.getMethod(), call.getTarget().getClass(), call.getParameters()));
        } catch (Exception | Error failure) {
            if (operation.exceptionCache() != null && operation.onFailure().test(failure)) {
                layers.put(operation.exceptionCache(), key, failure, StandardOperation.TIMES, true);
            }
            throw failure;
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

    private void put(StandardOperation operation, CacheKey key, Object value) {
        layers.put(operation.cache(), key, value, StandardOperation.TIMES, operation.immediate());
    }

    private void invalidate(StandardOperation operation, CacheKey key) {
        if (operation.immediate()) {
            layers.invalidateNow(operation.cache(), key);
        } else {
            layers.invalidate(operation.cache(), key);
        }
    }

    private void invalidateAll(StandardOperation operation) {
        if (operation.immediate()) {
            layers.invalidateAllNow(operation.cache());
        } else {
            layers.invalidateAll(operation.cache());
        }
    }

    private static Exception rethrowable(Throwable cached) {
        if (cached instanceof Error error) {
            throw error;
        }
        return cached instanceof Exception exception ? exception : new IllegalStateException(cached);
    }
}
