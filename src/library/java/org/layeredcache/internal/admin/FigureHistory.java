package org.layeredcache.internal.admin;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * This node's figures of each cache over the last {@value #MINUTES} minutes, for the dashboard's charts: every
 * {@value #SAMPLE_SECONDS} s (taken when the node shares its figures), each cache's running totals as they were
 * then, as numbers in the order of {@link #FIELDS}. The page turns consecutive samples into what happened between
 * them. Thread-safe.
 */
final class FigureHistory {

    static final int MINUTES = 15;
    static final int SAMPLE_SECONDS = 20;
    private static final int KEPT = MINUTES * 60 / SAMPLE_SECONDS + 1;

    /**
     * What a sample holds of each cache, in order: running totals of calls, hits per layer, loads, faults and
     * near layers dropped for lost messages; the longest invalidation delay of the last minute (ms); the auditor's
     * checks and disagreements of the last hour.
     */
    static final List<String> FIELDS = List.of("calls", "requestHits", "nearHits", "clusterHits", "loads", "faults",
            "nearDroppedForLostMessages", "recentDelayMaxMillis", "auditChecksLastHour", "auditDisagreementsLastHour");

    private final Deque<JsonObject> samples = new ArrayDeque<>();
    private long lastSampledAt;

    /**
     * The kept samples, then {@code figures} as a last one taken now, which is kept too when the last kept one is
     * {@value #SAMPLE_SECONDS} s old: {@code [{"t": epoch ms, "caches": {"services": [numbers...]}}, ...]}.
     *
     * @param figures each cache's figures by name, holding at least the {@link #FIELDS} (one minute's delay max)
     */
    synchronized JsonArray withNow(long now, Map<String, JsonObject> figures) {
        JsonObject sample = sample(now, figures);
        if (samples.isEmpty() || now - lastSampledAt >= SAMPLE_SECONDS * 1000L) {
            samples.addLast(sample);
            lastSampledAt = now;
            while (samples.size() > KEPT) {
                samples.removeFirst();
            }
        }
        JsonArrayBuilder all = Json.createArrayBuilder();
        samples.forEach(all::add);
        if (samples.getLast() != sample) {
            all.add(sample);
        }
        return all.build();
    }

    private static JsonObject sample(long now, Map<String, JsonObject> figures) {
        var caches = Json.createObjectBuilder();
        figures.forEach((cache, values) -> {
            JsonArrayBuilder numbers = Json.createArrayBuilder();
            FIELDS.forEach(field -> numbers.add(values.containsKey(field) ? values.getJsonNumber(field).longValue()
                    : 0));
            caches.add(cache, numbers);
        });
        return Json.createObjectBuilder().add("t", now).add("caches", caches).build();
    }
}
