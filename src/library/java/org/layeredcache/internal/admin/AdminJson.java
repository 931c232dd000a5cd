package org.layeredcache.internal.admin;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;
import org.layeredcache.CacheStatistics;
import org.layeredcache.ConsistencyAudit;
import org.layeredcache.TaskStatus;

import java.io.IOException;
import java.util.Map;

/**
 * The admin resource's JSON: its views of statistics, tasks and where a key is, and the one form of every error,
 * {@code {"status": 404, "error": "..."}}. Stateless.
 */
final class AdminJson {

    private AdminJson() {
    }

    static JsonObjectBuilder counters(CacheStatistics s) {
        return Json.createObjectBuilder().add("requestHits", s.requestHits()).add("nearHits", s.nearHits())
                .add("clusterHits", s.clusterHits()).add("loads", s.loads()).add("sharedLoads", s.sharedLoads())
                .add("invalidations", s.invalidations()).add("invalidationsReceived", s.invalidationsReceived())
                .add("faults", s.faults()).add("waits", s.waits()).add("waitsGivenUp", s.waitsGivenUp())
                .add("staleServed", s.staleServed())
                .add("oversized", s.oversized()).add("refreshes", s.refreshes()).add("preloaded", s.preloaded())
                .add("preloadChunks", s.preloadChunks()).add("droppedByTags", s.droppedByTags())
                .add("nearDroppedForLostMessages", s.nearDroppedForLostMessages())
                .add("uncachedCalls", s.uncachedCalls()).add("notCached", s.notCached())
                .add("nearRenewals", s.nearRenewals())
                .add("calls", s.calls());
    }

    /** What the consistency auditor found for one cache on this node, with its last divergences. */
    static JsonObjectBuilder audit(ConsistencyAudit audit) {
        JsonObjectBuilder layers = Json.createObjectBuilder();
        new java.util.TreeMap<>(audit.layers()).forEach((layer, figures) -> layers.add(layer,
                Json.createObjectBuilder().add("compared", figures.compared())
                        .add("disagreements", figures.disagreements())));
        JsonArrayBuilder divergences = Json.createArrayBuilder();
        long now = System.currentTimeMillis();
        audit.divergences().forEach(d -> divergences.add(Json.createObjectBuilder().add("key", d.key())
                .add("layer", d.layer()).add("cachedAt", d.cachedAt().toString())
                .add("cachedAgeMillis", now - d.cachedAt().toEpochMilli())
                .add("checkedAt", d.checkedAt().toString())
                .add("checkedAgeMillis", now - d.checkedAt().toEpochMilli())
                .add("cached", d.cached()).add("current", d.current()).add("dropped", d.dropped())));
        JsonObjectBuilder json = Json.createObjectBuilder().add("cache", audit.cache()).add("enabled", audit.enabled())
                .add("checks", audit.checks()).add("agreements", audit.agreements())
                .add("disagreements", audit.disagreements()).add("superseded", audit.superseded())
                .add("failed", audit.failed()).add("lastHourChecks", audit.lastHourChecks())
                .add("lastHourDisagreements", audit.lastHourDisagreements()).add("layers", layers)
                .add("divergences", divergences);
        if (audit.lastHourChecks() > 0) {
            json.add("nines", audit.nines());
        }
        return json;
    }

    /** One counter's flushing ({@code Counters.status}), its lag as of now. */
    static JsonObjectBuilder counter(org.layeredcache.CounterStatus status) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("counter", status.counter())
                .add("pendingKeys", status.pendingKeys()).add("pendingSum", status.pendingSum())
                .add("flushes", status.flushes()).add("failedFlushes", status.failedFlushes())
                .add("persisted", status.persisted()).add("notInCluster", status.notInCluster())
                .add("lagMillis", status.lag(java.time.Instant.now()).toMillis());
        if (status.lastFlush() != null) {
            json.add("lastFlush", status.lastFlush().toString());
        }
        if (status.flushedBy() != null) {
            json.add("flushedBy", status.flushedBy());
        }
        if (status.lastError() != null) {
            json.add("lastError", status.lastError());
        }
        return json;
    }

    static JsonObjectBuilder task(TaskStatus task) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", task.id()).add("scope", task.scope())
                .add("description", task.description()).add("state", task.state()).add("done", task.done())
                .add("total", task.total()).add("skipped", task.skipped()).add("failed", task.failed())
                .add("node", task.node());
        if (task.requested() != null) {
            json.add("requested", task.requested().toString());
        }
        if (task.started() != null) {
            json.add("started", task.started().toString());
        }
        if (task.ended() != null) {
            json.add("ended", task.ended().toString());
        }
        if (task.error() != null) {
            json.add("error", task.error());
        }
        return json;
    }

    /** Where a key is: the cluster layer, this node's near layer, every answering node's, and who did not answer. */
    static JsonObject presence(KeyPresence presence) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("cache", presence.cache()).add("key", presence.key())
                .add("cluster", presence.cluster());
        if (presence.clusterAgeMillis() != null) {
            body.add("clusterAgeMillis", presence.clusterAgeMillis());
        }
        if (!presence.tags().isEmpty()) {
            JsonArrayBuilder tags = Json.createArrayBuilder();
            presence.tags().forEach(tags::add);
            body.add("tags", tags);
        }
        JsonObjectBuilder nodes = Json.createObjectBuilder();
        presence.nodes().forEach((node, near) -> {
            JsonObjectBuilder one = Json.createObjectBuilder().add("near", near.state());
            if (near.ageMillis() != null) {
                one.add("nearAgeMillis", near.ageMillis());
            }
            nodes.add(node, one);
        });
        JsonArrayBuilder unanswered = Json.createArrayBuilder();
        presence.unanswered().forEach(unanswered::add);
        Map.Entry<String, KeyPresence.Near> here = presence.nodes().entrySet().iterator().next();
        body.add("node", here.getKey()).add("near", here.getValue().state());
        if (here.getValue().ageMillis() != null) {
            body.add("nearAgeMillis", here.getValue().ageMillis());
        }
        return body.add("nodes", nodes).add("unanswered", unanswered).build();
    }

    static void error(HttpServletResponse response, int status, String message) throws IOException {
        write(response, status, Json.createObjectBuilder().add("status", status).add("error", message).build());
    }

    static void write(HttpServletResponse response, int status, JsonObject body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body.toString());
    }
}
