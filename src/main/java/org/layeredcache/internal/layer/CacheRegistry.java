package org.layeredcache.internal.layer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.layeredcache.internal.key.CacheKey;

import javax.cache.CacheManager;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The caches of this deployment on this node: one {@link LayeredCache} per declared cache, made on first use
 * from its settings and the server's parts ({@link ServerCluster}), and the receiver of the other nodes'
 * invalidations. Internal: not part of the API.
 */
@ApplicationScoped
public class CacheRegistry {

    private static final Logger LOG = Logger.getLogger(CacheRegistry.class.getName());

    private final Map<String, LayeredCache> caches = new ConcurrentHashMap<>();
    private final Recordings recordings = new Recordings();

    @Inject
    CacheCatalog catalog;

    @Inject
    Instance<CacheManager> cacheManagers;

    private ServerCluster server;

    @PostConstruct
    void start() {
        server = ServerCluster.find(cacheManagers, catalog, new Receiver());
    }

    @PreDestroy
    void stop() {
        server.close();
    }

    /**
     * The cache of that name.
     *
     * @throws IllegalArgumentException if no annotation of the deployment names it
     */
    public LayeredCache cache(String name) {
        LayeredCache found = caches.get(name);
        return found != null ? found : caches.computeIfAbsent(name, this::create);
    }

    public Set<String> names() {
        return catalog.names();
    }

    public Transactions transactions() {
        return server.transactions();
    }

    public Recordings recordings() {
        return recordings;
    }

    private LayeredCache create(String name) {
        CacheSettings settings = catalog.settings(name);
        return new LayeredCache(settings, server.clusterLayer(settings), server, recordings);
    }

    /** Applies the other nodes' invalidations to the caches this node has made. */
    private final class Receiver implements InvalidationBus.Receiver {

        @Override
        public void invalidated(String cache, CacheKey key) {
            LayeredCache layers = caches.get(cache);
            if (layers != null) {
                layers.invalidateNear(key);
            }
        }

        @Override
        public void invalidatedAll(String cache) {
            LayeredCache layers = caches.get(cache);
            if (layers != null) {
                layers.invalidateNearAll();
            }
        }

        /**
         * An invalidation of {@code cache} whose key could not be read: counted and logged as a fault of the
         * cache, and since any of its keys may be stale, this node's near layer of it is dropped whole.
         */
        @Override
        public void unreadable(String cache, Exception failure) {
            if (!catalog.names().contains(cache)) {
                LOG.log(Level.FINE, "An unreadable invalidation message named the cache '" + cache
                        + "', which this deployment does not declare", failure);
                return;
            }
            LayeredCache layers = cache(cache);
            layers.fault("reading an invalidation message", failure);
            layers.invalidateNearAll();
        }
    }
}
