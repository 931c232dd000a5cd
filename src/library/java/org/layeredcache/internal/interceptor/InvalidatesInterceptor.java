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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries out the {@link Invalidates} of a method once it has run (normally or not), or, for a method that answers
 * a {@code CompletionStage}, once its stage completed; the layers wait for the transaction's commit. Keys are
 * computed from the arguments after the call, so an id that the method assigns
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
        Object result;
        try {
            result = call.proceed();
        } catch (Exception | Error failure) {
            invalidate(invalidations, call.getParameters(), null, false);
            throw failure;
        }
        if (result instanceof CompletionStage<?> stage && (call.getMethod().getReturnType() == CompletionStage.class
                || call.getMethod().getReturnType() == CompletableFuture.class)) {
            Object[] arguments = call.getParameters();       // an asynchronous write: once its stage completes
            stage.whenComplete((value, failure) -> invalidate(invalidations, arguments, value, failure == null));
            return result;
        }
        invalidate(invalidations, call.getParameters(), result, true);
        return result;
    }

    /**
     * Carries out the invalidations after a call; {@code returned} says whether it returned {@code result} (whose
     * conditions are then asked) or failed (then every one happens).
     */
    private void invalidate(List<Invalidation> invalidations, Object[] arguments, Object result, boolean returned) {
        for (Invalidation invalidation : invalidations) {
            if (!returned || conditionHolds(invalidation, arguments, result)) {
                invalidate(invalidation, arguments);
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
