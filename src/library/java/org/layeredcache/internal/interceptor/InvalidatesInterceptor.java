package org.layeredcache.internal.interceptor;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.layeredcache.Invalidates;
import org.layeredcache.internal.cache.CacheLayers;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.key.KeyTemplate;
import org.layeredcache.internal.operation.CacheOperations;
import org.layeredcache.internal.operation.Invalidation;

import java.util.List;

/**
 * Carries out the {@link Invalidates} of a method once it has run (normally or not); the layers wait for the
 * transaction's commit. Keys are computed from the arguments after the call, so an id that the method assigns
 * (such as a persisted entity's) is seen. Internal: enabled by its priority.
 */
@Invalidates(cache = "")
@Interceptor
@Priority(InvalidatesInterceptor.PRIORITY)
public class InvalidatesInterceptor {

    /** The outermost of the three. */
    static final int PRIORITY = Interceptor.Priority.LIBRARY_BEFORE + 100;

    @Inject
    CacheOperations operations;

    @Inject
    CacheLayers layers;

    @AroundInvoke
    Object invalidate(InvocationContext call) throws Exception {
        List<Invalidation> invalidations = operations.invalidations(call.getMethod(), call.getTarget());
        if (invalidations == null) {
            return call.proceed();
        }
        Object result = null;
        boolean returned = false;
        try {
            result = call.proceed();
            returned = true;
            return result;
        } finally {
            for (Invalidation invalidation : invalidations) {
                if (!returned || conditionHolds(invalidation, call.getParameters(), result)) {
                    invalidate(invalidation, call.getParameters());
                }
            }
        }
    }

    /**
     * Whether an invalidation's condition lets it happen after a call that returned {@code result}; one that cannot
     * be evaluated counts as a fault, and the invalidation happens.
     */
    private boolean conditionHolds(Invalidation invalidation, Object[] arguments, Object result) {
        if (invalidation.condition() == null) {
            return true;
        }
        try {
            return invalidation.condition().test(arguments, result);
        } catch (RuntimeException e) {
            for (String cache : invalidation.tags().isEmpty() ? List.of(invalidation.cache())
                    : operations.cachesWithTags()) {
                layers.fault(cache, "condition", e);
            }
            return true;
        }
    }

    private void invalidate(Invalidation invalidation, Object[] arguments) {
        if (!invalidation.tags().isEmpty()) {
            invalidateTags(invalidation, arguments);
            return;
        }
        if (invalidation.allEntries()) {
            layers.invalidateAll(invalidation.cache());
            return;
        }
        for (KeyTemplate template : invalidation.keys()) {
            CacheKey key;
            try {
                key = template.keyFor(arguments);
            } catch (RuntimeException e) {
                // Without the key, the only safe invalidation is all of the cache.
                layers.fault(invalidation.cache(), "key " + template, e);
                layers.invalidateAll(invalidation.cache());
                return;
            }
            layers.invalidate(invalidation.cache(), key);
        }
    }

    private void invalidateTags(Invalidation invalidation, Object[] arguments) {
        java.util.Set<String> tags;
        try {
            tags = invalidation.tagsFor(arguments);
        } catch (RuntimeException e) {
            // Without the tag, the only safe invalidation is all of every cache whose entries carry tags.
            for (String cache : operations.cachesWithTags()) {
                layers.fault(cache, "tag " + invalidation.tags(), e);
                layers.invalidateAll(cache);
            }
            return;
        }
        layers.invalidateTags(tags);
    }
}
