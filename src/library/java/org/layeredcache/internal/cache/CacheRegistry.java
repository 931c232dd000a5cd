package org.layeredcache.internal.cache;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.layeredcache.internal.admin.KeyPresence;
import org.layeredcache.internal.cluster.CleanContext;
import org.layeredcache.internal.cluster.InvalidationBus;
import org.layeredcache.internal.cluster.ServerCluster;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.config.CacheCatalog;
import org.layeredcache.internal.config.CacheSettings;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.ManagedExecutors;
import org.layeredcache.internal.layer.NearLayer;
import org.layeredcache.internal.layer.Transactions;
import org.layeredcache.internal.stats.CacheHealth;
import org.layeredcache.internal.stats.CacheObserver;
import org.layeredcache.internal.stats.RecentFigures;
import org.layeredcache.internal.stats.Recordings;

import javax.cache.CacheManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
    /** The cluster map where each node publishes its caches' figures (plain JSON strings) for the admin resource. */
    static final String FIGURES = "layered-cache-node-figures";
    /** The cluster map where nodes answer where a key is, under the question's name and theirs, for a minute. */
    static final String PRESENCE_ANSWERS = "layered-cache-key-presence";

    private final Map<String, LayeredCache> caches = new ConcurrentHashMap<>();
    private final Recordings recordings = new Recordings();

    @Inject
    CacheCatalog catalog;

    @Inject
    Instance<CacheManager> cacheManagers;

    private ServerCluster server;
    private Transactions transactions;
    private java.util.concurrent.Executor executor;
    private volatile CacheObserver observer = CacheObserver.NONE;
    private final Map<String, SharedMap> sharedMaps = new ConcurrentHashMap<>();

    @PostConstruct
    void start() {
        server = ServerCluster.find(cacheManagers, catalog, new Receiver());
        transactions = Transactions.lookUp();
        executor = ManagedExecutors.findDefault();
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
    LayeredCache cache(String name) {
        LayeredCache found = caches.get(name);
        return found != null ? found : caches.computeIfAbsent(name, this::create);
    }

    public Set<String> names() {
        return catalog.names();
    }

    public Transactions transactions() {
        return transactions;
    }

    public Recordings recordings() {
        return recordings;
    }

    /** Sets who hears loads' durations, faults and invalidation delays (the metrics bridge). */
    public void observe(CacheObserver observer) {
        this.observer = observer;
    }

    /** Each cache's state on this node, sorted by name (making the caches not used yet). */
    public List<CacheHealth> health() {
        return names().stream().sorted().map(name -> health(name, cache(name).layers())).toList();
    }

    private static CacheHealth health(String name, Layers layers) {
        GuardedCluster cluster = layers.cluster();
        String circuit = !cluster.present() ? "off" : cluster.circuitOpen() ? "open" : "closed";
        return new CacheHealth(name, circuit, cluster.keptInvalidations(), layers.counters().lastFault());
    }

    /**
     * This node's name in the cluster (its Hazelcast member address), or {@code "this node"} without a cluster.
     */
    public String nodeName() {
        return server.hazelcast().map(h -> h.getCluster().getLocalMember().getAddress().toString())
                .orElse("this node");
    }

    /**
     * Publishes this node's figures (a JSON text) to the cluster's map of node figures, to live {@code seconds};
     * returns every node's figures found there, this node's included (only this node's without a cluster).
     */
    public Map<String, String> shareFigures(String figures, int seconds) {
        if (server.hazelcast().isEmpty()) {
            return Map.of(nodeName(), figures);
        }
        // Obtained and used outside the application's context, as the caches are (see CleanContext).
        return CleanContext.call(() -> {
            com.hazelcast.map.IMap<String, String> shared = server.hazelcast().get().getMap(FIGURES);
            shared.put(nodeName(), figures, seconds, java.util.concurrent.TimeUnit.SECONDS);
            return new java.util.TreeMap<>(shared);
        }, 5_000);
    }

    /**
     * The names ({@link #nodeName()}) of the nodes in the cluster now, or empty without a cluster (then no node is
     * ever known to have died).
     */
    public java.util.Optional<Set<String>> liveNodes() {
        return server.hazelcast().map(hazelcast -> hazelcast.getCluster().getMembers().stream()
                .map(member -> member.getAddress().toString()).collect(java.util.stream.Collectors.toSet()));
    }

    /** A map of strings shared by the nodes of the cluster (this node's alone without one), made on first use. */
    public SharedMap sharedMap(String name) {
        return sharedMaps.computeIfAbsent(name, n -> server.hazelcast()
                .map(hazelcast -> SharedMap.of(CleanContext.call(() -> hazelcast.<String, String>getMap(n), 5_000)))
                .orElseGet(SharedMap::local));
    }

    /** Runs {@code committed} after the current transaction commits (at once without one), else {@code rolledBack}. */
    public void afterCompletion(Runnable committed, Runnable rolledBack) {
        transactions.afterCompletion(committed, rolledBack);
    }

    /** Where background cache work runs: the server's managed executor. */
    public java.util.concurrent.Executor executor() {
        return executor;
    }

    /**
     * Where {@code key} of {@code cache} is: in the cluster layer, and in the near layer of this node and of each
     * other node that answers within {@code wait} (asked over the invalidation topic, answered in a cluster map).
     */
    public KeyPresence presence(String cache, CacheKey key, Duration wait) {
        Layers layers = cache(cache).layers();
        Map<String, KeyPresence.Near> nodes = new LinkedHashMap<>();
        nodes.put(nodeName(), nearPresence(layers, key));
        Set<String> others = new TreeSet<>(liveNodes().orElse(Set.of()));
        others.remove(nodeName());
        String question = UUID.randomUUID().toString();
        if (!others.isEmpty() && server.askOtherNodes(question, cache, key)) {
            SharedMap answers = sharedMap(PRESENCE_ANSWERS);
            long deadline = System.nanoTime() + wait.toNanos();
            do {
                for (java.util.Iterator<String> node = others.iterator(); node.hasNext(); ) {
                    String name = node.next();
                    String answer = answers.get(question + " " + name);
                    if (answer != null) {
                        nodes.put(name, KeyPresence.Near.parse(answer));
                        node.remove();
                    }
                }
                if (!others.isEmpty()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            } while (!others.isEmpty() && System.nanoTime() - deadline < 0);
        }
        GuardedCluster.Reached<ClusterLayer.Entry> found = layers.cluster().get(key);
        String cluster = !layers.cluster().present() ? "off" : !found.reached() ? "unreachable"
                : found.value() == null ? "absent" : found.value().isClaim() ? "being loaded" : "present";
        Long age = cluster.equals("present") ? System.currentTimeMillis() - found.value().writtenAt() : null;
        return new KeyPresence(cache, key.toString(), cluster, age, nodes, List.copyOf(others));
    }

    /** Whether and since when {@code key} is in this node's near layer. */
    private static KeyPresence.Near nearPresence(Layers layers, CacheKey key) {
        if (!layers.near().present()) {
            return new KeyPresence.Near("off", null);
        }
        NearLayer.Entry entry = layers.near().entry(key);
        return entry == null ? new KeyPresence.Near("absent", null) : new KeyPresence.Near("present",
                entry.writtenAt() == 0 ? null : System.currentTimeMillis() - entry.writtenAt());
    }

    /** What {@code cache} did on this node over the last {@code minutes} (at most 15). */
    public RecentFigures recent(String cache, int minutes) {
        return cache(cache).layers().counters().recent(minutes);
    }

    /** Preloads {@code cache}'s cluster layer from {@code values} ({@code Preload}), counted on {@code progress}. */
    public void preload(String cache, java.util.Iterator<?> values, java.util.function.Function<Object, CacheKey> keyOf,
                        EntryTimes times, org.layeredcache.CacheTasks.Progress progress) {
        cache(cache).preload(values, keyOf, times, progress);
    }

    /** Entries in the near layer of {@code cache} on this node. */
    public long nearEntries(String cache) {
        return cache(cache).layers().near().size();
    }

    /** About the bytes of values in the near layer of {@code cache} on this node. */
    public long nearBytes(String cache) {
        return cache(cache).layers().near().weight();
    }

    private LayeredCache create(String name) {
        CacheSettings settings = catalog.settings(name);
        ClusterLayer cluster = server.cacheManager().map(manager -> new ClusterLayer(settings.cache(), manager,
                server.codec(), settings.clusterMaxSize(), settings.loadLease(), settings.clusterTimeout(),
                settings.compressAbove())).orElse(null);
        return new LayeredCache(settings, cluster, server, transactions, executor, recordings, () -> observer);
    }

    /** Applies the other nodes' invalidations to the caches this node has made. */
    private final class Receiver implements InvalidationBus.Receiver {

        @Override
        public void invalidated(String cache, CacheKey key, long publishedAt) {
            LayeredCache layers = caches.get(cache);
            if (layers != null) {
                layers.received(key, publishedAt);
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

        /** Answers where the key is in this node's near layer (nothing of the cluster layer: the asker reads it). */
        @Override
        public void asked(String question, String cache, CacheKey key) {
            if (!catalog.names().contains(cache) || key == null) {
                return;
            }
            LayeredCache layers = caches.get(cache);            // not made yet: its near layer holds nothing
            KeyPresence.Near near = layers != null ? nearPresence(layers.layers(), key)
                    : new KeyPresence.Near(catalog.settings(cache).nearEnabled() ? "absent" : "off", null);
            sharedMap(PRESENCE_ANSWERS).put(question + " " + nodeName(), near.text(), 60);
        }
    }
}
