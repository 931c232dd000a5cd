package org.layeredcache.internal.layer;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.core.HazelcastInstance;
import jakarta.enterprise.inject.Instance;

import javax.cache.CacheManager;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.ObjectInputFilter;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the server offers the layers, found once when the application starts: its transaction registry, its
 * JCache {@code CacheManager} (the cluster layer), the Hazelcast instance behind it (the invalidation topic), and
 * the codec for the cluster's entries. A part that cannot be found costs the cluster layer or the messages, never
 * a call: each missing part is logged once, with what it costs. Immutable once found.
 */
final class ServerCluster {

    private static final Logger LOG = Logger.getLogger(ServerCluster.class.getName());

    private final Transactions transactions;
    private final CacheManager cacheManager;
    private final InvalidationBus bus;
    private final ClusterCodec codec;

    private ServerCluster(Transactions transactions, CacheManager cacheManager, InvalidationBus bus,
                          ClusterCodec codec) {
        this.transactions = transactions;
        this.cacheManager = cacheManager;
        this.bus = bus;
        this.codec = codec;
    }

    /**
     * Finds the server's parts and joins the invalidation topic.
     *
     * @param cacheManagers the CDI beans of type {@code CacheManager}, asked before JNDI
     * @param catalog       the deployment's caches (key types and the serialization filter)
     * @param receiver      what receives the other nodes' invalidations
     */
    static ServerCluster find(Instance<CacheManager> cacheManagers, CacheCatalog catalog,
                              InvalidationBus.Receiver receiver) {
        ClassLoader application = applicationClassLoader();
        ClusterCodec codec = new ClusterCodec(application, new ValueFilter(application,
                catalog.serialFilter().map(ObjectInputFilter.Config::createFilter).orElse(null)));
        CacheManager manager = null;
        try {
            manager = findCacheManager(cacheManagers);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The JCache CacheManager could not be obtained: the cluster layer is off", e);
        }
        InvalidationBus bus = null;
        try {
            bus = joinTopic(manager, application, catalog, receiver);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The invalidation topic could not be joined: other nodes' near layers are not"
                    + " told about invalidations and may serve stale values for up to their near TTL", e);
        }
        return new ServerCluster(Transactions.lookUp(), manager, bus, codec);
    }

    Transactions transactions() {
        return transactions;
    }

    /** The cluster layer of one cache, or {@code null} when the server offers no cluster cache. */
    ClusterLayer clusterLayer(CacheSettings settings) {
        return cacheManager == null ? null : new ClusterLayer(settings.cache(), cacheManager, codec,
                settings.clusterMaxSize(), settings.loadLease(), settings.clusterTimeout());
    }

    /** The invalidation messages, or {@code null} when the topic could not be joined. */
    InvalidationBus bus() {
        return bus;
    }

    void close() {
        if (bus != null) {
            bus.close();
        }
    }

    /** The application's class loader: the one the application starts the library in. */
    private static ClassLoader applicationClassLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : ServerCluster.class.getClassLoader();
    }

    private static CacheManager findCacheManager(Instance<CacheManager> cacheManagers) {
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

    private static InvalidationBus joinTopic(CacheManager manager, ClassLoader application, CacheCatalog catalog,
                                             InvalidationBus.Receiver receiver) {
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
        HazelcastInstance cluster = hazelcast.get();
        return CleanContext.call(() -> new InvalidationBus(cluster, application, catalog.keyTypes(), receiver),
                30_000);
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
