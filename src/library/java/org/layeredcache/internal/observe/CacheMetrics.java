package org.layeredcache.internal.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheStatistics;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.stats.CacheObserver;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes every cache's figures as MicroProfile Metrics of the application, tagged with {@code cache} (and
 * {@code layer}, {@code origin} or {@code operation}), when the application starts: the counters as gauges read
 * from {@link CacheAdmin#statistics} on each scrape, the load duration and invalidation delay as timers, faults
 * as counters per operation. Where the server offers no metric registry, nothing is published. Thread-safe.
 *
 * <p>Names (Prometheus form on {@code /metrics}, where dots become underscores): {@code layered_cache.hits}
 * (layer = request, near, cluster), {@code .loads}, {@code .shared_loads}, {@code .waits}, {@code .waits_given_up},
 * {@code .refreshes}, {@code .preloaded}, {@code .uncached_calls}, {@code .not_cached},
 * {@code .near.renewals},
 * {@code .stale_served}, {@code .oversized}, {@code .invalidations} (origin = this_node,
 * other_nodes, tag: entries found dropped by a tag when read), {@code .faults} (operation = cluster, key, invalidation_message, refresh_ahead, other: each
 * registered at zero; the log names the exact operation), {@code .near.entries}, {@code .near.size} (bytes), {@code .load.duration}
 * and {@code .invalidation.delay} (timers, in seconds); for a cache the consistency auditor checks,
 * {@code .audit.checks}, {@code .audit.disagreements} (layer = near, cluster) and {@code .audit.nines}.
 */
@ApplicationScoped
public class CacheMetrics implements CacheObserver {

    static final String PREFIX = "layered_cache.";
    private static final Logger LOG = Logger.getLogger(CacheMetrics.class.getName());

    @Inject
    Instance<MetricRegistry> registries;

    @Inject
    CacheAdmin admin;

    @Inject
    CacheRegistry caches;

    private MetricRegistry registry;
    private final Map<String, Timer> loadTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> delayTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> faultCounters = new ConcurrentHashMap<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (!registries.isResolvable()) {
            LOG.fine("No MicroProfile metric registry: the caches publish no metrics");
            return;
        }
        try {
            registry = registries.get();
            for (String cache : admin.cacheNames()) {
                register(cache);
            }
            caches.observe(this);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The caches' metrics could not be registered; caching works without them", e);
        }
    }

    private void register(String cache) {
        Tag name = new Tag("cache", cache);
        for (String layer : new String[] {"request", "near", "cluster"}) {
            gauge("hits", "Calls answered by this layer", cache, layerHits(layer), name, new Tag("layer", layer));
        }
        gauge("loads", "Calls that ran the method because every layer missed", cache, CacheStatistics::loads, name);
        gauge("shared_loads", "Calls that got another call's load of the same key on this node", cache,
                CacheStatistics::sharedLoads, name);
        gauge("waits", "Times a call started waiting for another load of its key (single flight)", cache,
                CacheStatistics::waits, name);
        gauge("waits_given_up", "Calls that stopped waiting for another load of their key and loaded themselves",
                cache, CacheStatistics::waitsGivenUp, name);
        gauge("refreshes", "Background reloads of old entries (refreshAfter)", cache, CacheStatistics::refreshes, name);
        gauge("preloaded", "Entries bulk preloads wrote to the cluster from this node", cache,
                CacheStatistics::preloaded, name);
        gauge("stale_served", "Failed loads answered with an expired entry (staleIfError)", cache,
                CacheStatistics::staleServed, name);
        gauge("oversized", "Values kept out of the cluster layer for their size", cache, CacheStatistics::oversized,
                name);
        gauge("invalidations", "Invalidations carried out", cache, CacheStatistics::invalidations, name,
                new Tag("origin", "this_node"));
        gauge("invalidations", "Invalidations carried out", cache, CacheStatistics::invalidationsReceived, name,
                new Tag("origin", "other_nodes"));
        gauge("invalidations", "Invalidations carried out", cache, CacheStatistics::droppedByTags, name,
                new Tag("origin", "tag"));
        gauge("near_dropped_for_lost_messages", "Times this node dropped its near layer whole because another"
                + " node's invalidation messages were lost", cache, CacheStatistics::nearDroppedForLostMessages, name);
        gauge("uncached_calls", "Calls whose condition was false: the method ran without any layer", cache,
                CacheStatistics::uncachedCalls, name);
        gauge("not_cached", "Loaded values that unless kept out of every layer", cache, CacheStatistics::notCached,
                name);
        gauge("near.renewals", "Near copies renewed from the cluster before they expired", cache,
                CacheStatistics::nearRenewals, name);
        registry.gauge(Metadata.builder().withName(PREFIX + "near.entries")
                .withDescription("Entries in this node's near layer").build(), caches, c -> c.nearEntries(cache), name);
        registry.gauge(Metadata.builder().withName(PREFIX + "near.size").withUnit(MetricUnits.BYTES)
                .withDescription("About the bytes of values in this node's near layer").build(), caches,
                c -> c.nearBytes(cache), name);
        // A timer records nanoseconds. Payara's exporter writes its sum in seconds whatever the unit, and scales
        // its maximum and mean from the declared unit to seconds: declared in seconds (or not at all), those stayed
        // in nanoseconds. Declared in nanoseconds, count, sum, maximum and mean are right; the quantiles it writes
        // unscaled, in nanoseconds, whatever the unit (Payara Micro 6.2025.10), which the README says.
        loadTimers.put(cache, registry.timer(Metadata.builder().withName(PREFIX + "load.duration")
                .withUnit(MetricUnits.NANOSECONDS).withDescription("How long the method ran on a miss or refresh")
                .build(), name));
        delayTimers.put(cache, registry.timer(Metadata.builder().withName(PREFIX + "invalidation.delay")
                .withUnit(MetricUnits.NANOSECONDS)
                .withDescription("From an invalidation's publication on another node to its arrival here").build(),
                name));
        for (FaultKind kind : FaultKind.values()) {
            faultCounter(cache, kind);                       // at zero: an alert on faults has data from the start
        }
        if (admin.audit(cache).enabled()) {
            registerAudit(cache, name);
        }
    }

    /** The consistency auditor's figures, for a cache it checks. */
    private void registerAudit(String cache, Tag name) {
        registry.gauge(Metadata.builder().withName(PREFIX + "audit.checks")
                .withDescription("Cached entries the consistency auditor checked against their method").build(),
                admin, a -> a.audit(cache).checks(), name);
        for (String layer : new String[] {"near", "cluster"}) {
            registry.gauge(Metadata.builder().withName(PREFIX + "audit.disagreements")
                    .withDescription("Cached entries that held something else than their method answers, found"
                            + " again at the re-check").build(),
                    admin, a -> a.audit(cache).layers().get(layer).disagreements(), name, new Tag("layer", layer));
        }
        registry.gauge(Metadata.builder().withName(PREFIX + "audit.nines")
                .withDescription("Consistency over the last hour in nines: log10(checks / disagreements), or"
                        + " log10(checks) without a disagreement").build(),
                admin, a -> a.audit(cache).nines(), name);
    }

    private Counter faultCounter(String cache, FaultKind kind) {
        return faultCounters.computeIfAbsent(cache + "\n" + kind, key -> registry.counter(Metadata.builder()
                .withName(PREFIX + "faults").withDescription("Cache faults absorbed, by kind of operation").build(),
                new Tag("cache", cache), new Tag("operation", kind.tag())));
    }

    private static ToLongFunction<CacheStatistics> layerHits(String layer) {
        return switch (layer) {
            case "request" -> CacheStatistics::requestHits;
            case "near" -> CacheStatistics::nearHits;
            default -> CacheStatistics::clusterHits;
        };
    }

    private void gauge(String metric, String description, String cache, ToLongFunction<CacheStatistics> value,
                       Tag... tags) {
        registry.gauge(Metadata.builder().withName(PREFIX + metric).withDescription(description).build(), admin,
                a -> value.applyAsLong(a.statistics(cache)), tags);
    }

    @Override
    public void loaded(String cache, long nanos) {
        Timer timer = loadTimers.get(cache);
        if (timer != null) {
            timer.update(Duration.ofNanos(nanos));
        }
    }

    @Override
    public void invalidationReceived(String cache, long millis) {
        Timer timer = delayTimers.get(cache);
        if (timer != null) {
            timer.update(Duration.ofMillis(millis));
        }
    }

    @Override
    public void fault(String cache, String operation) {
        if (registry == null) {
            return;
        }
        try {
            faultCounter(cache, FaultKind.of(operation)).inc();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "a fault could not be counted in the metrics", e);
        }
    }
}
