package org.layeredcache.internal.cache;

import com.hazelcast.core.HazelcastInstance;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.layeredcache.internal.cluster.CleanContext;
import org.layeredcache.internal.cluster.InvalidationBus;
import org.layeredcache.internal.cluster.ServerCluster;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.config.CacheCatalog;
import org.layeredcache.internal.config.CacheSettings;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.config.ValueForm;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.key.Entries;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.ManagedExecutors;
import org.layeredcache.internal.layer.TagVersions;
import org.layeredcache.internal.layer.Transactions;
import org.layeredcache.internal.stats.CacheCounters;
import org.layeredcache.internal.stats.CacheHealth;
import org.layeredcache.internal.stats.CacheObserver;
import org.layeredcache.internal.stats.RecentFigures;
import org.layeredcache.internal.stats.Recordings;

import javax.cache.CacheManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Who answers the other nodes' questions where a key is (the admin resource's side), if anyone. */
    @Inject
    Instance<InvalidationBus.Questions> questionAnswerers;

    private ServerCluster server;
    private ManagedExecutors.Scheduler scheduler;
    private java.util.concurrent.ScheduledFuture<?> heartbeats;
    private Transactions transactions;
    private java.util.concurrent.Executor executor;
    private volatile CacheObserver observer = CacheObserver.NONE;
    private final Map<String, SharedMap> sharedMaps = new ConcurrentHashMap<>();
    private volatile TagVersions tags;
    /** Where faults of tag invalidations count: they belong to no one cache. */
    private final CacheCounters tagCounters = new CacheCounters(TAGS, () -> observer);

    /** The name tag invalidations' faults are counted and logged under. */
    static final String TAGS = "layered-cache-tags";

    @PostConstruct
    void start() {
        server = ServerCluster.find(cacheManagers, catalog, new Receiver());
        if (questionAnswerers.isResolvable()) {
            server.answerQuestionsWith(questionAnswerers.get());
        }
        tags = tagVersions();
        transactions = Transactions.lookUp();
        executor = ManagedExecutors.findDefault();
        long beat = catalog.heartbeat().toMillis();
        scheduler = ManagedExecutors.findScheduler();
        heartbeats = scheduler.service().scheduleWithFixedDelay(server::heartbeat, beat, beat,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (scheduler != null && scheduler.own()) {
            scheduler.service().shutdownNow();
        }
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

    /** The Hazelcast instance of the cluster layer, when there is one (for operators' shared figures). */
    public Optional<HazelcastInstance> hazelcast() {
        return server.hazelcast();
    }

    /**
     * The names ({@link #nodeName()}) of the nodes in the cluster now, or empty without a cluster (then no node is
     * ever known to have died).
     */
    public java.util.Optional<Set<String>> liveNodes() {
        return server.hazelcast().map(hazelcast -> hazelcast.getCluster().getMembers().stream()
                .map(member -> member.getAddress().toString()).collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * Whether this node is the cluster's oldest member, or alone without a cluster: where the work that one node
     * per cluster does runs (the counters' flush, the shared objects' store).
     */
    public boolean oldestMember() {
        return server.hazelcast().map(hazelcast -> hazelcast.getCluster().getMembers().iterator().next()
                .localMember()).orElse(true);
    }

    /** How values travel through the cluster: serialized, and read back only through the deserialisation filter. */
    public org.layeredcache.internal.cluster.ClusterCodec codec() {
        return server.codec();
    }

    /** A map of strings shared by the nodes of the cluster (this node's alone without one), made on first use. */
    public SharedMap sharedMap(String name) {
        return sharedMaps.computeIfAbsent(name, n -> server.hazelcast()
                .map(hazelcast -> SharedMap.of(CleanContext.call(() -> hazelcast.<String, String>getMap(n), 5_000)))
                .orElseGet(SharedMap::local));
    }

    /** Whether some read of the deployment tracks JPA entities. */
    boolean tracksEntities() {
        return catalog.tracksEntities();
    }

    /**
     * Invalidates tags now (the caller waits for the commit): a new version of each on this node and in the
     * cluster, then one message to the other nodes.
     */
    void invalidateTags(Set<String> invalidated) {
        Map<String, Long> versions = tags.invalidate(invalidated, tagCounters);
        recordings.tagInvalidations(invalidated);
        try {
            server.tellOtherNodesTags(versions);
        } catch (RuntimeException e) {
            tagCounters.fault("tag invalidation message", e);
        }
    }

    /**
     * The tags' versions: shared through the cluster when there is one, trusted on this node for the shortest near
     * TTL of the deployment's caches, each cluster operation within the longest cluster timeout.
     */
    private TagVersions tagVersions() {
        List<CacheSettings> all = catalog.names().stream().map(catalog::settings).toList();
        java.time.Duration seenFor = all.stream().map(CacheSettings::nearTtl).min(java.util.Comparator.naturalOrder())
                .orElse(java.time.Duration.ofSeconds(30));
        java.time.Duration timeout = all.stream().map(CacheSettings::clusterTimeout)
                .max(java.util.Comparator.naturalOrder()).orElse(java.time.Duration.ofMillis(500));
        return server.hazelcast().map(hazelcast -> TagVersions.shared(() -> CleanContext.call(
                        () -> hazelcast.<String, Long>getMap(TagVersions.mapName()), 5_000), seenFor, timeout))
                .orElseGet(TagVersions::local);
    }

    /** Runs {@code committed} after the current transaction commits (at once without one), else {@code rolledBack}. */
    public void afterCompletion(Runnable committed, Runnable rolledBack) {
        transactions.afterCompletion(committed, rolledBack);
    }

    /** Where background cache work runs: the server's managed executor. */
    public java.util.concurrent.Executor executor() {
        return executor;
    }

    /** The reads {@code cache} offers the consistency auditor on this node (making the cache if not made yet). */
    public AuditSamples auditSamples(String cache) {
        return cache(cache).auditSamples();
    }

    /** The settings of {@code cache}, as configured. */
    public org.layeredcache.internal.config.CacheSettings settings(String cache) {
        return catalog.settings(cache);
    }

    /** Where short periodic cache work runs: the server's managed scheduler (a thread of the library's own in SE). */
    public java.util.concurrent.ScheduledExecutorService scheduler() {
        return scheduler.service();
    }

    /** The layers of {@code cache} on this node (making the cache if it was not used yet). */
    public Layers layersOf(String cache) {
        return cache(cache).layers();
    }

    /** The layers of {@code cache} on this node if it was used here yet; a cache not made yet holds nothing. */
    public Optional<Layers> madeLayersOf(String cache) {
        return Optional.ofNullable(caches.get(cache)).map(LayeredCache::layers);
    }

    /**
     * Asks the other nodes where {@code key} of {@code cache} is; their answerer (the bean of type {@link
     * InvalidationBus.Questions}, if the deployment has one) answers under {@code question}. False when there is no
     * one to ask (no invalidation topic joined).
     */
    public boolean askOtherNodes(String question, String cache, CacheKey key) {
        return server.askOtherNodes(question, cache, key);
    }


    /** What {@code cache} did on this node over the last {@code minutes} (at most 15). */
    public RecentFigures recent(String cache, int minutes) {
        return cache(cache).layers().counters().recent(minutes);
    }

    /** Preloads {@code cache}'s cluster layer from {@code values} ({@code Preload}), counted on {@code progress}. */
    public void preload(String cache, java.util.Iterator<?> values, java.util.function.Function<Object, CacheKey> keyOf,
                        EntryTimes times, org.layeredcache.CacheTasks.Progress progress) {
        LayeredCache layered = cache(cache);
        Layers layers = layered.layers();
        if (!layers.cluster().present()) {
            throw new IllegalStateException("cache '" + cache + "' has no cluster layer here to preload into");
        }
        CacheSettings settings = catalog.settings(cache);
        layered.preloads().run(new Preload(layers.cluster(), layers.counters(), settings.maxValueSize(),
                settings.preloadChunkSize(), settings.resolve(times).kept()), values, keyOf, progress);
    }

    /**
     * Warms up the value form of every cache that writes Apache Fory's form to its cluster layer, with up to its
     * {@code cluster.value-form.warm-up} entries the cluster already holds ({@link ClusterLayer#warmUpValueForm}),
     * so that a node joining a cluster has Fory's code for those classes generated before its first request rather
     * than during it. The caches themselves are not made by it (they are made by their first use, as before).
     * Called once as the application starts; waits for the cluster a few of its timeouts per cache at most (obtaining
     * the cache, then the iteration). A cache whose cluster fails is skipped with a warning; that is no fault of the
     * cache, whose reads do not depend on it.
     *
     * @return how many entries warmed the form, per cache that was warmed
     */
    public Map<String, Integer> warmUpValueForms() {
        Map<String, Integer> warmed = new java.util.TreeMap<>();
        for (String name : catalog.names()) {
            CacheSettings settings = catalog.settings(name);
            if (settings.enabled() && settings.clusterEnabled() && settings.valueForm() == ValueForm.FORY
                    && settings.valueFormWarmUp() > 0) {
                Optional<ClusterLayer> cluster = clusterLayer(settings);    // the cache itself is not made
                if (cluster.isPresent()) {
                    try {
                        warmed.put(name, cluster.get().warmUpValueForm(settings.valueFormWarmUp()));
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "Cache '" + name + "': the value form was not warmed up with the"
                                + " cluster's entries; the first reads of each class generate its code", e);
                    }
                }
            }
        }
        return warmed;
    }

    /**
     * Fault injection for tests: the next {@code count} invalidation messages this node receives are dropped
     * unread, as if the cluster had lost them. False when this node hears no messages.
     */
    public boolean dropReceivedInvalidations(int count) {
        return server.dropReceived(count);
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
        return new LayeredCache(settings, clusterLayer(settings).orElse(null), server, tags, transactions, executor,
                recordings, () -> observer);
    }

    /** The cluster layer of a cache with these settings; none when the server has no cluster cache manager. */
    private Optional<ClusterLayer> clusterLayer(CacheSettings settings) {
        return server.cacheManager().map(manager -> new ClusterLayer(settings.cache(), manager, server.codec(),
                settings.clusterMaxSize(), settings.loadLease(), settings.clusterTimeout(), settings.compressAbove(),
                settings.valueForm()));
    }

    /** Applies the other nodes' invalidations to the caches this node has made. */
    private final class Receiver implements InvalidationBus.Receiver {

        private volatile boolean lossLogged;

        @Override
        public void invalidated(String cache, Entries entries, long publishedAt) {
            LayeredCache layers = caches.get(cache);
            if (layers != null) {
                layers.received(entries, publishedAt);
            }
        }

        @Override
        public void tagsInvalidated(Map<String, Long> versions) {
            TagVersions known = tags;
            if (known != null) {                               // else nothing is cached yet
                known.received(versions);
            }
        }

        /**
         * Invalidation messages of another node were lost: any key of any cache, any tag, may have been in them. So
         * this node drops its near layer of every cache and forgets the tag versions it has seen (they are read
         * from the cluster again); counted per cache, logged once.
         */
        @Override
        public void lost(long missed) {
            if (!lossLogged) {
                lossLogged = true;
                LOG.warning(missed + " invalidation message(s) of another node were lost: this node dropped its near"
                        + " layers and the tag versions it had seen (logged once; counted per cache as"
                        + " nearDroppedForLostMessages)");
            }
            TagVersions known = tags;
            if (known != null) {
                known.forgetSeen();
            }
            caches.values().forEach(LayeredCache::lostInvalidations);
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
            layers.layers().counters().fault("reading an invalidation message", failure);
            layers.invalidateNearAll();
        }
    }
}
