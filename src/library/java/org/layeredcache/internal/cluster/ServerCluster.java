package org.layeredcache.internal.cluster;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.core.HazelcastInstance;
import jakarta.enterprise.inject.Instance;
import org.layeredcache.internal.config.CacheCatalog;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.key.Entries;

import javax.cache.CacheManager;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster the server offers the layers, found once when the application starts: its JCache
 * {@code CacheManager} (the cluster layer), the Hazelcast instance behind it (the invalidation topic), and the
 * codec for the cluster's entries. A part that cannot be found costs the cluster layer or the messages, never
 * a call: each missing part is logged once, with what it costs.
 *
 * <p>Joining the invalidation topic is a cluster operation, which hangs while a member does: it runs in the
 * background, and no call waits for it. Until it has joined, this node would not hear of other nodes' writes, so
 * its near layers are not used ({@link #hearsInvalidations()}); reads go to the cluster and the method, and its
 * own invalidation messages go out once it has joined. The first call waits at most {@link #JOIN_WAIT} for it.
 * Thread-safe.
 */
public final class ServerCluster {

    private static final Logger LOG = Logger.getLogger(ServerCluster.class.getName());
    /** How long the first call waits for the invalidation topic before it goes on without the near layers. */
    static final Duration JOIN_WAIT = Duration.ofSeconds(5);

    private final CacheManager cacheManager;
    private final CompletableFuture<InvalidationBus> bus;
    private final ClusterCodec codec;
    private final Optional<HazelcastInstance> hazelcast;
    private volatile boolean heartbeatFailureLogged;

    private ServerCluster(CacheManager cacheManager, CompletableFuture<InvalidationBus> bus, ClusterCodec codec,
                          Optional<HazelcastInstance> hazelcast) {
        this.hazelcast = hazelcast;
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
    public static ServerCluster find(Instance<CacheManager> cacheManagers, CacheCatalog catalog,
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
        CompletableFuture<InvalidationBus> bus;
        try {
            bus = joinTopic(manager, application, catalog, receiver);
        } catch (RuntimeException e) {
            bus = CompletableFuture.failedFuture(e);
        }
        bus.whenComplete((joined, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "The invalidation topic could not be joined: other nodes' near layers are"
                        + " not told about invalidations and may serve stale values for up to their near TTL", failure);
            }
        });
        try {
            bus.get(JOIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);   // a healthy cluster answers in milliseconds
        } catch (TimeoutException stillJoining) {
            LOG.warning("Joining the invalidation topic takes more than " + JOIN_WAIT.toSeconds() + " s (the cluster"
                    + " may be hanging); it goes on in the background, and until it has joined this node does not use"
                    + " its near layers");
        } catch (ExecutionException failed) {
            // logged above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ServerCluster(manager, bus, codec, hazelcastOf(manager));
    }

    /** The Hazelcast instance of the cluster layer, when there is one. */
    public Optional<HazelcastInstance> hazelcast() {
        return hazelcast;
    }

    /** The server's JCache cache manager (the cluster layer), when it offers one. */
    public Optional<CacheManager> cacheManager() {
        return Optional.ofNullable(cacheManager);
    }

    /** The byte form of keys and entries in the cluster, and the filters it reads them through. */
    public ClusterCodec codec() {
        return codec;
    }

    /** The invalidation messages, or {@code null} when the topic is not joined (yet, or at all). */
    InvalidationBus bus() {
        try {
            return bus.getNow(null);
        } catch (CompletionException | CancellationException failed) {
            return null;
        }
    }

    /**
     * Tells the other nodes to drop {@code entries} of {@code cache}; while the topic is
     * still being joined, the message goes out once it has joined. Throws if the cluster does.
     */
    public void tellOtherNodes(String cache, Entries entries) {
        InvalidationBus joined = bus();
        if (joined != null) {
            send(joined, cache, entries);
        } else if (!bus.isDone()) {
            bus.thenAccept(late -> {
                if (late != null) {
                    send(late, cache, entries);
                }
            });
        }
    }

    /**
     * Tells the other nodes the new versions of invalidated tags, as {@link #tellOtherNodes} does for keys.
     * Throws if the cluster does.
     */
    public void tellOtherNodesTags(Map<String, Long> versions) {
        InvalidationBus joined = bus();
        if (joined != null) {
            joined.publishTags(versions);
        } else if (!bus.isDone()) {
            bus.thenAccept(late -> {
                if (late != null) {
                    late.publishTags(versions);
                }
            });
        }
    }

    /**
     * Tells the other nodes the number of this node's last invalidation message, so that they notice the loss of
     * any (see {@link InvalidationBus}); nothing before the topic is joined. A failure is logged once and
     * otherwise ignored: the next heartbeat tries again.
     */
    public void heartbeat() {
        InvalidationBus joined = bus();
        if (joined == null) {
            return;
        }
        try {
            joined.heartbeat();
        } catch (RuntimeException e) {
            if (!heartbeatFailureLogged) {
                heartbeatFailureLogged = true;
                LOG.log(Level.WARNING, "A heartbeat could not be sent (logged once): other nodes notice a lost"
                        + " invalidation of this node only with its next message or heartbeat", e);
            }
        }
    }

    /**
     * Fault injection for tests: the next {@code count} invalidation messages this node receives are dropped
     * unread, as if the cluster had lost them. False when no topic is joined.
     */
    public boolean dropReceived(int count) {
        InvalidationBus joined = bus();
        if (joined == null) {
            return false;
        }
        joined.dropReceived(count);
        return true;
    }

    /**
     * Asks the other nodes where {@code key} of {@code cache} is; they answer under {@code question}. False when
     * there is no one to ask (no topic joined).
     */
    public boolean askOtherNodes(String question, String cache, CacheKey key) {
        InvalidationBus joined = bus();
        if (joined == null) {
            return false;
        }
        joined.ask(question, cache, key);
        return true;
    }

    /** Who answers the other nodes' questions where a key is: set on the topic now, or once it has joined. */
    public void answerQuestionsWith(InvalidationBus.Questions answerer) {
        bus.thenAccept(joined -> {
            if (joined != null) {
                joined.answerQuestionsWith(answerer);
            }
        });
    }

    private static void send(InvalidationBus bus, String cache, Entries entries) {
        if (entries instanceof Entries.One one) {
            bus.publish(cache, one.key());
        } else {
            bus.publishAll(cache);
        }
    }

    /**
     * Whether near layers may be used: this node hears the other nodes' invalidations, or there is nothing to
     * hear them from (no Hazelcast, or joining failed, both logged: then the near TTL bounds staleness). While the
     * topic is still being joined, no.
     */
    public boolean hearsInvalidations() {
        return bus.isDone();
    }

    public void close() {
        InvalidationBus joined = bus();
        if (joined != null) {
            joined.close();
        } else {
            bus.thenAccept(InvalidationBus::close);
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

    /** Joins the topic in the background; done at once (with {@code null}) when there is no Hazelcast. */
    private static CompletableFuture<InvalidationBus> joinTopic(CacheManager manager, ClassLoader application,
                                                                CacheCatalog catalog,
                                                                InvalidationBus.Receiver receiver) {
        Optional<HazelcastInstance> hazelcast = hazelcastOf(manager);
        if (hazelcast.isEmpty()) {
            if (manager != null) {
                LOG.warning("The cluster cache is not Hazelcast: other nodes' near layers are not told about"
                        + " invalidations and may serve stale values for up to their near TTL.");
            }
            return CompletableFuture.completedFuture(null);
        }
        HazelcastInstance cluster = hazelcast.get();
        return CleanContext.start(() -> new InvalidationBus(cluster, application, catalog.keyTypes(), receiver));
    }

    /** The Hazelcast instance behind the cache manager, if it is one. */
    private static Optional<HazelcastInstance> hazelcastOf(CacheManager manager) {
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
        return hazelcast;
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
