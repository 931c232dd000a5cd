package org.layeredcache.internal.cache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.EntityDependencies;
import org.layeredcache.internal.layer.NullValue;
import org.layeredcache.internal.layer.RequestEntries;
import org.layeredcache.internal.layer.RequestLayer;
import org.layeredcache.internal.load.BulkLoader;
import org.layeredcache.internal.load.PendingLoad;
import org.layeredcache.internal.load.StageFailure;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one entry point of the interceptors into the layers: reads, memoized calls and invalidations, each for a
 * named cache. Internal: users inject {@code CacheAdmin}, not this class.
 */
@ApplicationScoped
public class CacheLayers {

    @Inject
    CacheRegistry registry;

    @Inject
    RequestLayer requestLayer;

    /**
     * The method's result for {@code key}, read through the layers of {@code cache} (see {@code @CachedRead}).
     *
     * @param tags         the entry's tags for this call, rendered only if a load needs them (none: an empty array)
     * @param trackEntities whether the read tracks the JPA entities its loads read (configuration may override)
     * @param times        the read's annotated entry times (configuration may override them)
     * @param optional     whether the method returns an {@code Optional}, which the layers store unwrapped
     * @param unless       whether a loaded result (an {@code Optional}'s content, or {@code null}) is kept out of
     *                     every layer; {@code null}: never
     * @param method       the call's own method, proceeding with the interceptor chain
     * @param reinvocation the same call made again through the bean, for a refresh-ahead on another thread
     * @throws Exception whatever the method throws, unchanged
     */
    public Object read(String cache, CacheKey key, Supplier<String[]> tags, boolean trackEntities, EntryTimes times,
                       boolean optional, Predicate<Object> unless, Callable<Object> method,
                       Supplier<Callable<Object>> reinvocation) throws Exception {
        LayeredCache layers = registry.cache(cache);
        Callable<Object> loader = optional ? () -> unwrapOptional(method.call()) : method;
        if (!layers.enabled()) {
            return NullValue.unwrap(uncached(layers, loader), optional);
        }
        RequestEntries request = layers.usesRequestLayer() ? requestLayer.entries(layers.requestNamespace())
                : RequestEntries.NONE;
        Predicate<Object> keptOut = unless == null ? null : stored -> unless.test(NullValue.unwrap(stored, false));
        Object stored;
        try {
            stored = layers.read(request, key, tags, trackEntities, times, keptOut, loader, reinvocation);
        } catch (StageFailure failure) {                 // it waited for an asynchronous read's load, which failed
            throw failure.getCause() instanceof Exception exception ? exception : failure;
        }
        EntityDependencies.carried(stored);                 // an enclosing load was built from the same entities
        return NullValue.unwrap(stored, optional);
    }

    /**
     * As {@link #read}, for a method that answers a {@code CompletionStage} (or {@code CompletableFuture}) of its
     * value: a hit answers a completed stage; a miss calls the method and answers a stage of its value, published
     * once the stage completed and the transaction (if any) committed; concurrent misses share one call, and the
     * callers that wait for it are answered a stage at once. A stage that completes exceptionally is never cached,
     * and its failure reaches every caller that waited for it as a failed stage. A waiter whose load cannot be
     * shared, or that waited {@code load.wait}, is made again through the bean ({@code reinvocation}) on the server's
     * executor.
     *
     * @param optional whether the stage's value is an {@code Optional}, which the layers store unwrapped
     * @throws Exception whatever the method throws before it answers a stage, unchanged
     */
    public CompletionStage<Object> readAsync(String cache, CacheKey key, Supplier<String[]> tags, EntryTimes times,
                                             boolean optional, Predicate<Object> unless, Callable<Object> method,
                                             Supplier<Callable<Object>> reinvocation) throws Exception {
        LayeredCache layers = registry.cache(cache);
        if (!layers.enabled()) {
            layers.layers().counters().load();
            return stageOf(method.call());
        }
        Callable<Object> loader = !optional ? method : () -> {
            CompletionStage<Object> stage = stageOf(method.call());
            return stage == null ? null : stage.thenApply(CacheLayers::unwrapOptional);
        };
        RequestEntries request = layers.usesRequestLayer() ? requestLayer.entries(layers.requestNamespace())
                : RequestEntries.NONE;
        Predicate<Object> keptOut = unless == null ? null : stored -> unless.test(NullValue.unwrap(stored, false));
        Object stored = layers.read(request, key, tags, false, times, keptOut, loader, reinvocation, true);
        if (stored instanceof PendingLoad pending) {
            if (pending.stored() == null) {
                return null;
            }
            Callable<Object> again = reinvocation.get();          // taken now, while the call is still on
            return pending.stored().thenCompose(value -> value != PendingLoad.AGAIN
                    ? CompletableFuture.completedFuture(NullValue.unwrap(value, optional))
                    : CompletableFuture.supplyAsync(() -> callAgain(again), layers.executor())
                            .thenCompose(answer -> answer));
        }
        return CompletableFuture.completedFuture(NullValue.unwrap(stored, optional));
    }

    /** An asynchronous read made again through the bean (a new read through the layers): its answer. */
    private static CompletionStage<Object> callAgain(Callable<Object> again) {
        try {
            return stageOf(again.call());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Object> stageOf(Object result) {
        return (CompletionStage<Object>) result;
    }

    /**
     * The values of many keys of {@code cache} ({@code null} for a key without one), read through the layers at
     * once; the keys no layer has are loaded by one call of {@code loader} (see {@code @CachedRead(each)}).
     *
     * @param keys distinct keys
     * @param tags each key's tags, rendered for its id when a load needs them (none: an empty array)
     * @param trackEntities whether the JPA entities the loader reads become tags of every entry it loaded
     *                      (configuration may override)
     * @throws Exception whatever the loader throws, unchanged
     */
    public Map<CacheKey, Object> readAll(String cache, Collection<CacheKey> keys, Function<CacheKey, String[]> tags,
                                         boolean trackEntities, EntryTimes times, BulkLoader loader)
            throws Exception {
        LayeredCache layers = registry.cache(cache);
        Map<CacheKey, Object> stored;
        if (!layers.enabled() || keys.isEmpty()) {
            stored = keys.isEmpty() ? Map.of() : uncachedAll(layers, List.copyOf(keys), loader);
        } else {
            RequestEntries request = layers.usesRequestLayer() ? requestLayer.entries(layers.requestNamespace())
                    : RequestEntries.NONE;
            stored = layers.readAll(request, keys, tags, trackEntities, times, loader);
        }
        Map<CacheKey, Object> values = new HashMap<>();
        stored.forEach((key, value) -> {
            EntityDependencies.carried(value);
            values.put(key, NullValue.unwrap(value, false));
        });
        return values;
    }

    /** Counts a call whose condition was false, which runs without any layer. */
    public void uncachedCall(String cache) {
        registry.cache(cache).layers().counters().uncachedCall();
    }

    /** Runs a read's method without any layer, because its key could not be computed; counted as a load. */
    public Object uncached(String cache, boolean optional, Callable<Object> method) throws Exception {
        Callable<Object> loader = optional ? () -> unwrapOptional(method.call()) : method;
        return NullValue.unwrap(uncached(registry.cache(cache), loader), optional);
    }

    /**
     * The method's result for {@code key} within the current request (see {@code @RequestCached}); where no
     * request context is active, the method simply runs.
     */
    public Object memoize(String namespace, CacheKey key, Callable<Object> method) throws Exception {
        RequestEntries entries = requestLayer.entries(namespace);
        Object stored = entries.get(key);
        if (stored == null) {
            stored = NullValue.wrap(method.call());
            entries.remember(key, stored);
        }
        return NullValue.unwrap(stored, false);
    }

    /**
     * Invalidates {@code key} of {@code cache}: from the current request's layer now, from every layer on every
     * node once the current transaction commits (now, without one).
     */
    public void invalidate(String cache, CacheKey key) {
        LayeredCache layers = registry.cache(cache);
        if (!layers.enabled()) {
            return;
        }
        RequestEntries request = requestLayer.entries(layers.requestNamespace());
        request.forget(key);
        registry.transactions().afterCompletion(() -> {
            request.forget(key);
            layers.invalidate(key);
        }, () -> { });
    }

    /** Invalidates {@code key} of {@code cache} at once, whatever the transaction (the JSR-107 timing). */
    public void invalidateNow(String cache, CacheKey key) {
        LayeredCache layers = registry.cache(cache);
        if (layers.enabled()) {
            requestLayer.entries(layers.requestNamespace()).forget(key);
            layers.invalidate(key);
        }
    }

    /** Invalidates every entry of {@code cache} at once, whatever the transaction (the JSR-107 timing). */
    public void invalidateAllNow(String cache) {
        LayeredCache layers = registry.cache(cache);
        if (layers.enabled()) {
            requestLayer.entries(layers.requestNamespace()).forgetAll();
            layers.invalidateAll();
        }
    }

    /**
     * Makes {@code value} the entry of {@code key} in {@code cache} on every node (a JSR-107 put): once the current
     * transaction commits (now, without one, or with {@code now}); nothing after a rollback. The current request's
     * layer forgets the key at once.
     */
    public void put(String cache, CacheKey key, Object value, EntryTimes times, boolean now) {
        LayeredCache layers = registry.cache(cache);
        if (!layers.enabled()) {
            return;
        }
        RequestEntries request = requestLayer.entries(layers.requestNamespace());
        request.forget(key);
        Object stored = NullValue.wrap(value);
        Runnable put = () -> {
            request.forget(key);
            layers.put(key, stored, times);
        };
        if (now) {
            put.run();
        } else {
            registry.transactions().afterCompletion(put, () -> { });
        }
    }

    /** The value a layer of {@code cache} holds for {@code key} ({@code null} when none does); loads nothing. */
    public Object peek(String cache, CacheKey key) {
        LayeredCache layers = registry.cache(cache);
        Object stored = layers.enabled() ? layers.peek(key) : null;
        return stored == null ? null : NullValue.unwrap(stored, false);
    }

    /** Invalidates every entry of {@code cache}, with the same timing as {@link #invalidate}. */
    public void invalidateAll(String cache) {
        LayeredCache layers = registry.cache(cache);
        if (!layers.enabled()) {
            return;
        }
        RequestEntries request = requestLayer.entries(layers.requestNamespace());
        request.forgetAll();
        registry.transactions().afterCompletion(() -> {
            request.forgetAll();
            layers.invalidateAll();
        }, () -> { });
    }

    /**
     * Invalidates every entry, of every cache, that carries one of {@code tags}: from the current request's layer
     * now, everywhere once the current transaction commits (now, without one). One cluster write per tag and one
     * message, however many entries carry them.
     */
    public void invalidateTags(Set<String> tags) {
        List<RequestEntries> request = requestLayer.all();
        request.forEach(entries -> entries.forgetTagged(tags));
        registry.transactions().afterCompletion(() -> {
            request.forEach(entries -> entries.forgetTagged(tags));
            registry.invalidateTags(tags);
        }, () -> { });
    }

    /**
     * As {@link #invalidateTags}, with the tags of one transaction gathered, so that its changed entities cost one
     * message after the commit however many there are.
     */
    public void invalidateTagsOfTransaction(Set<String> tags) {
        List<RequestEntries> request = requestLayer.all();
        request.forEach(entries -> entries.forgetTagged(tags));
        registry.transactions().collect(TRANSACTION_TAGS, tags, all -> {
            request.forEach(entries -> entries.forgetTagged(all));
            registry.invalidateTags(all);
        });
    }

    /** Where a transaction's tags are gathered ({@link #invalidateTagsOfTransaction}). */
    private static final Object TRANSACTION_TAGS = new Object();

    /** Counts a fault that happened outside the layers (such as computing a key) against {@code cache}. */
    public void fault(String cache, String operation, RuntimeException failure) {
        registry.cache(cache).layers().counters().fault(operation, failure);
    }

    /** Runs a read's method without any layer: the cache is disabled, or the call's key could not be computed. */
    private static Object uncached(LayeredCache cache, Callable<Object> method) throws Exception {
        cache.layers().counters().load();
        return NullValue.wrap(method.call());
    }

    /** Loads many keys without any layer (the cache is disabled): each counted as a load. */
    private static Map<CacheKey, Object> uncachedAll(LayeredCache cache, List<CacheKey> keys, BulkLoader loader)
            throws Exception {
        keys.forEach(key -> cache.layers().counters().load());
        Map<CacheKey, Object> loaded = loader.load(keys);
        Map<CacheKey, Object> stored = new HashMap<>();
        keys.forEach(key -> stored.put(key, NullValue.wrap(loaded.get(key))));
        return stored;
    }

    private static Object unwrapOptional(Object result) {
        return result == null ? null : ((Optional<?>) result).orElse(null);
    }
}
