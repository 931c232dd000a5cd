package org.layeredcache.internal.layer;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.core.HazelcastInstance;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheRecording;
import org.layeredcache.CacheStatistics;
import org.layeredcache.internal.key.CacheKey;

import javax.cache.CacheManager;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The entry point of the interceptors into the layers: finds the server's cluster cache and transaction
 * registry once, keeps one {@link LayeredCache} per cache name, and implements {@link CacheAdmin}.
 * Internal: users inject {@link CacheAdmin}, not this class.
 */
@ApplicationScoped
public class CacheLayers implements CacheAdmin {

    private static final Logger LOG = Logger.getLogger(CacheLayers.class.getName());

    private final Map<String, LayeredCache> caches = new ConcurrentHashMap<>();
    private final Recordings recordings = new Recordings();

    @Inject
    CacheCatalog catalog;

    @Inject
    RequestLayer requestLayer;

    @Inject
    Instance<CacheManager> cacheManagers;

    private Transactions transactions;
    private ClusterCodec codec;
    private CacheManager cacheManager;
    private InvalidationBus bus;

    /** Finds what the node offers; a failure here costs the cluster layer or the messages, never a call. */
    @PostConstruct
    void start() {
        transactions = Transactions.lookUp();
        codec = new ClusterCodec(applicationClassLoader(), new ValueFilter(applicationClassLoader(),
                catalog.serialFilter().map(ObjectInputFilter.Config::createFilter).orElse(null)));
        try {
            cacheManager = findCacheManager();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The JCache CacheManager could not be obtained: the cluster layer is off", e);
        }
        try {
            bus = startBus(cacheManager);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The invalidation topic could not be joined: other nodes' near layers are not"
                    + " told about invalidations and may serve stale values for up to their near TTL", e);
        }
    }

    @PreDestroy
    void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    /**
     * The method's result for {@code key}, read through the layers of {@code cache} (see {@code @CachedRead}).
     *
     * @param key      the entry's key, or {@code null} to run the method uncached (its key could not be computed)
     * @param optional whether the method returns an {@code Optional}, which the layers store unwrapped
     * @throws Exception whatever the method throws, unchanged
     */
    public Object read(String cache, CacheKey key, Duration ttl, boolean optional, Callable<Object> method)
            throws Exception {
        LayeredCache layers = cache(cache);
        Callable<Object> loader = optional ? () -> unwrapOptional(method.call()) : method;
        if (!layers.enabled() || key == null) {
            return NullValue.unwrap(layers.bypass(loader), optional);
        }
        Map<Object, Object> request = layers.usesRequestLayer() ? requestEntries(layers.requestNamespace()) : null;
        return NullValue.unwrap(layers.read(request, key, ttl, loader), optional);
    }

    /**
     * The method's result for {@code key} within the current request (see {@code @RequestCached}); outside a
     * request the method simply runs.
     */
    public Object memoize(String namespace, CacheKey key, Callable<Object> method) throws Exception {
        Map<Object, Object> entries = requestEntries(namespace);
        if (entries == null) {
            return method.call();
        }
        Object stored = entries.get(key);
        if (stored == null) {
            stored = NullValue.wrap(method.call());
            entries.put(key, stored);
        }
        return NullValue.unwrap(stored, false);
    }

    /**
     * Invalidates {@code key} ({@code null}: every entry) of {@code cache}: from the current request's layer now,
     * from every layer on every node once the current transaction commits (now, without one).
     */
    public void invalidate(String cache, CacheKey key) {
        LayeredCache layers = cache(cache);
        if (!layers.enabled()) {
            return;
        }
        Map<Object, Object> request = requestEntries(layers.requestNamespace());
        forget(request, key);
        transactions.afterCompletion(() -> {
            forget(request, key);
            layers.invalidate(key);
        }, () -> { });
    }

    /** Counts a fault that happened outside the layers (such as computing a key) against {@code cache}. */
    public void fault(String cache, String operation, RuntimeException failure) {
        cache(cache).fault(operation, failure);
    }

    @Override
    public Set<String> cacheNames() {
        return catalog.names();
    }

    @Override
    public CacheStatistics statistics(String cache) {
        return cache(cache).statistics();
    }

    @Override
    public void invalidateAll(String cache) {
        invalidate(cache, null);
    }

    @Override
    public CacheRecording startRecording() {
        return recordings.start();
    }

    private LayeredCache cache(String name) {
        LayeredCache found = caches.get(name);
        return found != null ? found : caches.computeIfAbsent(name, this::create);
    }

    private LayeredCache create(String name) {
        CacheSettings settings = catalog.settings(name);
        ClusterLayer cluster = cacheManager == null ? null : new ClusterLayer(name, cacheManager, codec,
                settings.clusterMaxSize(), settings.loadLease(), settings.clusterTimeout());
        return new LayeredCache(settings, cluster, bus, transactions, recordings);
    }

    private void receive(String cache, CacheKey key) {
        LayeredCache layers = caches.get(cache);
        if (layers != null) {
            layers.invalidateNear(key);
        }
    }

    /**
     * An invalidation of {@code cache} whose key could not be read: counted and logged as a fault of the cache,
     * and, since any of its keys may be stale, this node's near layer of it is dropped whole.
     */
    private void receiveUnreadable(String cache, Exception failure) {
        if (!catalog.names().contains(cache)) {
            LOG.log(Level.FINE, "An unreadable invalidation message named the cache '" + cache
                    + "', which this deployment does not declare", failure);
            return;
        }
        LayeredCache layers = cache(cache);
        layers.fault("reading an invalidation message", failure);
        layers.invalidateNear(null);
    }

    /** The current request's entries of a namespace, or {@code null} when no request context is active. */
    private Map<Object, Object> requestEntries(String namespace) {
        try {
            return requestLayer.entries(namespace);
        } catch (ContextNotActiveException outsideRequest) {
            return null;
        }
    }

    private static void forget(Map<Object, Object> request, CacheKey key) {
        if (request == null) {
            return;
        }
        if (key == null) {
            request.clear();
        } else {
            request.remove(key);
        }
    }

    private static Object unwrapOptional(Object result) {
        return result == null ? null : ((Optional<?>) result).orElse(null);
    }

    private CacheManager findCacheManager() {
        if (cacheManagers.isResolvable()) {
            return cacheManagers.get();
        }
        Optional<CacheManager> named = lookUp("payara/CacheManager", CacheManager.class);
        if (named.isEmpty()) {
            LOG.warning("No JCache CacheManager was found (neither a CDI bean nor payara/CacheManager): the cluster"
                    + " layer is off, and each node caches on its own.");
        }
        return named.orElse(null);
    }

    private InvalidationBus startBus(CacheManager manager) {
        Optional<HazelcastInstance> hazelcast = Optional.empty();
        if (manager instanceof HazelcastCacheManager direct) {
            hazelcast = Optional.of(direct.getHazelcastInstance());
        } else if (manager != null) {
            try {
                hazelcast = Optional.of(manager.unwrap(HazelcastCacheManager.class).getHazelcastInstance());
            } catch (RuntimeException | LinkageError notUnwrappable) {
                hazelcast = lookUp("payara/Hazelcast", HazelcastInstance.class);
            }
        }
        if (hazelcast.isEmpty()) {
            if (manager != null) {
                LOG.warning("The cluster cache is not Hazelcast: other nodes' near layers are not told about"
                        + " invalidations and may serve stale values for up to their near TTL.");
            }
            return null;
        }
        ClassLoader loader = applicationClassLoader();
        HazelcastInstance cluster = hazelcast.get();
        InvalidationBus.Receiver receiver = new InvalidationBus.Receiver() {
            @Override
            public void invalidated(String cache, CacheKey key) {
                receive(cache, key);
            }

            @Override
            public void unreadable(String cache, Exception failure) {
                receiveUnreadable(cache, failure);
            }
        };
        return CleanContext.call(() -> new InvalidationBus(cluster, loader, catalog.keyTypes(), receiver), 30_000);
    }

    /** The application's class loader: the one this bean starts in, which loads the application's classes. */
    private static ClassLoader applicationClassLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : CacheLayers.class.getClassLoader();
    }

    private static <T> Optional<T> lookUp(String name, Class<T> type) {
        try {
            return Optional.of(type.cast(new InitialContext().lookup(name)));
        } catch (NamingException | RuntimeException notThere) {
            LOG.log(Level.FINE, name + " is not available", notThere);
            return Optional.empty();
        }
    }
}
