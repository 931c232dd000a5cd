package org.layeredcache.internal.admin;

import com.hazelcast.map.IMap;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.layeredcache.CacheAdmin;
import org.layeredcache.ConsistencyAudit;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.cluster.CleanContext;
import org.layeredcache.internal.stats.RecentFigures;

import java.io.StringReader;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Every node's cache figures, for the admin resource: each node publishes its own (statistics and the recent
 * figures, a JSON text) to a cluster map ({@value #FIGURES}) when asked and every {@link #SHARE_SECONDS} s, each
 * entry living three times that; the figures of all nodes are summed per cache (maxima merged as maxima). With
 * them, each node's history of the last minutes ({@link FigureHistory}), in a map of its own ({@value #HISTORY}),
 * for the dashboard's charts. Without a cluster, this node's alone. Thread-safe.
 */
final class NodeFigures {

    /** The cluster map where each node publishes its caches' figures (plain JSON strings). */
    static final String FIGURES = "layered-cache-node-figures";
    /** The cluster map where each node publishes its history of figures ({@link FigureHistory}, JSON strings). */
    static final String HISTORY = "layered-cache-node-history";
    static final int SHARE_SECONDS = 5;
    /** The window of the {@code recent...} figures: loads, faults and invalidation delays of the last minutes. */
    static final int RECENT_MINUTES = 5;

    private final CacheRegistry registry;
    private final CacheAdmin admin;
    private final FigureHistory history = new FigureHistory();
    private volatile String ownHistory = "[]";

    NodeFigures(CacheRegistry registry, CacheAdmin admin) {
        this.registry = registry;
        this.admin = admin;
    }

    /**
     * Every cache's figures summed over the nodes that shared theirs ({@code cluster}), with each node's
     * ({@code nodes}); this node shares its own first.
     */
    JsonObjectBuilder caches() {
        Map<String, String> nodes = share();
        Map<String, JsonObjectBuilder> perCache = new TreeMap<>();
        Map<String, Map<String, Long>> sums = new TreeMap<>();
        for (Map.Entry<String, String> node : nodes.entrySet()) {
            JsonObject figures;
            try (JsonReader reader = Json.createReader(new StringReader(node.getValue()))) {
                figures = reader.readObject();
            }
            for (Map.Entry<String, JsonValue> cache : figures.entrySet()) {
                JsonObject counters = cache.getValue().asJsonObject();
                perCache.computeIfAbsent(cache.getKey(), c -> Json.createObjectBuilder()).add(node.getKey(), counters);
                Map<String, Long> sum = sums.computeIfAbsent(cache.getKey(), c -> new TreeMap<>());
                counters.forEach((name, value) -> sum.merge(name, ((JsonNumber) value).longValue(),
                        name.endsWith("Max") || name.endsWith("MaxMillis") ? Math::max : Long::sum));
            }
        }
        JsonObjectBuilder caches = Json.createObjectBuilder();
        for (Map.Entry<String, Map<String, Long>> cache : sums.entrySet()) {
            JsonObjectBuilder cluster = Json.createObjectBuilder();
            cache.getValue().forEach(cluster::add);
            caches.add(cache.getKey(), Json.createObjectBuilder().add("cluster", cluster)
                    .add("nodes", perCache.get(cache.getKey())));
        }
        JsonObjectBuilder histories = Json.createObjectBuilder();
        histories().forEach((node, text) -> {
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                histories.add(node, reader.readArray());
            }
        });
        JsonArrayBuilder fields = Json.createArrayBuilder();
        FigureHistory.FIELDS.forEach(fields::add);
        return Json.createObjectBuilder().add("node", registry.nodeName()).add("nodes", nodes.size())
                .add("recentMinutes", RECENT_MINUTES).add("caches", caches)
                .add("history", Json.createObjectBuilder().add("sampleSeconds", FigureHistory.SAMPLE_SECONDS)
                        .add("fields", fields).add("nodes", histories));
    }

    /** Every node's history of figures ({@link FigureHistory}) by node name, as shared with the figures. */
    Map<String, String> histories() {
        if (registry.hazelcast().isEmpty()) {
            return Map.of(registry.nodeName(), ownHistory);
        }
        return CleanContext.call(() -> new TreeMap<>(registry.hazelcast().get().<String, String>getMap(HISTORY)),
                5_000);
    }

    /**
     * Publishes this node's figures, and its history with a sample taken now if one is due, and returns every
     * node's figures, by node name.
     */
    Map<String, String> share() {
        JsonObjectBuilder figures = Json.createObjectBuilder();
        Map<String, JsonObject> lastMinute = new TreeMap<>();
        for (String cache : admin.cacheNames()) {
            RecentFigures recent = registry.recent(cache, RECENT_MINUTES);
            ConsistencyAudit audit = admin.audit(cache);
            JsonObject own = AdminJson.counters(admin.statistics(cache)).add("recentLoads", recent.loads())
                    .add("audited", audit.enabled() ? 1 : 0).add("auditChecksLastHour", audit.lastHourChecks())
                    .add("auditDisagreementsLastHour", audit.lastHourDisagreements())
                    .add("recentFaults", recent.faults()).add("recentDelays", recent.delays())
                    .add("recentDelayTotalMillis", recent.delayTotalMillis())
                    .add("recentDelayMaxMillis", recent.delayMaxMillis()).build();
            figures.add(cache, own);
            lastMinute.put(cache, Json.createObjectBuilder(own)
                    .add("recentDelayMaxMillis", registry.recent(cache, 1).delayMaxMillis()).build());
        }
        String text = figures.build().toString();
        String history = this.history.withNow(System.currentTimeMillis(), lastMinute).toString();
        ownHistory = history;
        if (registry.hazelcast().isEmpty()) {
            return Map.of(registry.nodeName(), text);
        }
        // Obtained and used outside the application's context, as the caches are (see CleanContext).
        return CleanContext.call(() -> {
            IMap<String, String> shared = registry.hazelcast().get().getMap(FIGURES);
            shared.put(registry.nodeName(), text, SHARE_SECONDS * 3L, TimeUnit.SECONDS);
            registry.hazelcast().get().<String, String>getMap(HISTORY).put(registry.nodeName(), history,
                    SHARE_SECONDS * 3L, TimeUnit.SECONDS);
            return new TreeMap<>(shared);
        }, 5_000);
    }
}
