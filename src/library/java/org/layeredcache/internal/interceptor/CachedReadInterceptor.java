package org.layeredcache.internal.interceptor;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.layeredcache.CachedRead;
import org.layeredcache.internal.cache.CacheLayers;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.CacheOperations;
import org.layeredcache.internal.operation.OperationParser;
import org.layeredcache.internal.operation.PerElement;
import org.layeredcache.internal.operation.ReadOperation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

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
        Object[] arguments = call.getParameters();
        if (operation.condition() != null && !conditionHolds(operation, arguments)) {
            return call.proceed();
        }
        if (operation.each() != null) {
            return readEach(call, operation);
        }
        CacheKey key;
        try {
            key = operation.key().keyFor(arguments);
        } catch (RuntimeException e) {
            layers.fault(operation.cache(), "key " + operation.key(), e);
            return layers.uncached(operation.cache(), operation.optional() && !operation.async(), call::proceed);
        }
        Predicate<Object> unless = operation.unless() == null ? null
                : result -> operation.unless().test(arguments, result);
        if (operation.async()) {
            return layers.readAsync(operation.cache(), key, () -> operation.tagsFor(arguments), operation.times(),
                    operation.optional(), unless, call::proceed,
                    () -> beanCalls.later(call.getMethod(), call.getTarget().getClass(), arguments));
        }
        return layers.read(operation.cache(), key, () -> operation.tagsFor(arguments), operation.trackEntities(),
                operation.times(), operation.optional(), unless, call::proceed,
                () -> beanCalls.later(call.getMethod(), call.getTarget().getClass(), call.getParameters()));
    }

    /**
     * Whether the read's condition lets this call use the layers; when not, the call is counted as uncached. A
     * condition that cannot be evaluated counts as a fault, and the call runs uncached.
     */
    private boolean conditionHolds(ReadOperation operation, Object[] arguments) {
        boolean holds;
        try {
            holds = operation.condition().test(arguments, null);
        } catch (RuntimeException e) {
            layers.fault(operation.cache(), "condition", e);
            holds = false;
        }
        if (!holds) {
            layers.uncachedCall(operation.cache());
        }
        return holds;
    }

    /**
     * A read of many keys: one key per id, read through the layers at once; the ids no layer has go to one call
     * of the method, and the answer is put together in the caller's order.
     */
    private Object readEach(InvocationContext call, ReadOperation operation) throws Exception {
        PerElement each = operation.each();
        Object[] arguments = call.getParameters();
        Collection<?> given = (Collection<?>) arguments[each.parameter()];
        if (given == null) {
            throw badIds(call, operation, "the collection of ids is null; pass an empty collection for no ids");
        }
        List<Object> ids = new ArrayList<>(given);
        int nullAt = ids.indexOf(null);
        if (nullAt >= 0) {
            throw badIds(call, operation, "the collection of ids holds null (element " + nullAt + " of "
                    + ids.size() + "); leave it out, an absent id has no entry to read");
        }
        Object[] withId = arguments.clone();
        Function<Object, CacheKey> keyOf = id -> {
            withId[each.parameter()] = id;
            return operation.key().keyFor(withId);
        };
        List<CacheKey> keys = new ArrayList<>(ids.size());
        Map<CacheKey, Object> idOfKey = new LinkedHashMap<>();
        try {
            for (Object id : ids) {
                CacheKey key = keyOf.apply(id);
                keys.add(key);
                idOfKey.putIfAbsent(key, id);
            }
        } catch (RuntimeException e) {
            layers.fault(operation.cache(), "key " + operation.key(), e);
            return call.proceed();
        }
        Function<CacheKey, String[]> tagsOfKey = key -> {                 // rendered only for the keys loaded
            Object[] forId = arguments.clone();
            forId[each.parameter()] = idOfKey.get(key);
            return operation.tagsFor(forId);
        };
        Map<CacheKey, Object> values = layers.readAll(operation.cache(), idOfKey.keySet(), tagsOfKey,
                operation.trackEntities(), operation.times(),
                missing -> {
                    List<Object> missingIds = missing.stream().map(idOfKey::get).toList();
                    Object[] subset = arguments.clone();
                    subset[each.parameter()] = each.idsToLoad(missingIds);
                    call.setParameters(subset);
                    return each.byKey(call.proceed(), keyOf, new HashSet<>(missing));
                });
        return each.answer(ids, keys, values);
    }

    /** A call's collection of ids that cannot be read, refused before any layer is asked. */
    private static IllegalArgumentException badIds(InvocationContext call, ReadOperation operation, String problem) {
        return new IllegalArgumentException(OperationParser.describe(call.getMethod()) + " @CachedRead(cache = \""
                + operation.cache() + "\", each = \""
                + call.getMethod().getParameters()[operation.each().parameter()].getName() + "\"): " + problem);
    }
}
