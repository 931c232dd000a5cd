package org.layeredcache.internal.admin;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheStatistics;
import org.layeredcache.CacheTasks;
import org.layeredcache.TaskPendingException;
import org.layeredcache.TaskStatus;
import org.layeredcache.internal.cache.CacheLayers;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.operation.CacheOperations;
import org.layeredcache.internal.stats.RecentFigures;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin resource, JSON over HTTP, for users in the configured role (401 without credentials, 403 without the
 * role); put in place by {@link AdminInitializer}:
 * <ul>
 *   <li>{@code GET .../}: the dashboard, a page of plain HTML and a little script shipped in the jar;</li>
 *   <li>{@code GET .../caches}: every cache's statistics, summed over the nodes of the cluster, with each node's
 *       figures (each node publishes its own to a cluster map every {@value #SHARE_SECONDS} s and on each call),
 *       including loads, faults and the delays of invalidations from other nodes over the last
 *       {@value #RECENT_MINUTES} minutes ({@code recent...}; delays summed over nodes except their maximum);</li>
 *   <li>{@code GET .../caches/{cache}/keys/{key}}: where the key is (the cluster layer, and the near layer of each
 *       node that answers within {@link #PRESENCE_WAIT}; this node's first, also as {@code near}) and how old it
 *       is there;</li>
 *   <li>{@code DELETE .../caches/{cache}/keys/{key}} and {@code DELETE .../caches/{cache}}: invalidates the key or
 *       the whole cache, on every node, as {@code @Invalidates} does;</li>
 *   <li>{@code POST .../caches/{cache}/warm-up} with {@code {"keys": [...]}}: starts a warm-up task (202 with its
 *       status URL; 409 while one of the cache is pending); {@code POST .../caches/{cache}/preload}: starts the
 *       cache's bulk preload ({@code @Preloads}) the same way;</li>
 *   <li>{@code GET .../tasks}: the background tasks the cluster knows ({@code CacheTasks}), newest first;
 *       {@code GET} or {@code DELETE .../tasks/{id}}: one task's status, or cancelling it;
 *       {@code DELETE .../pending/{scope}}: releases a scope's pending flag (its task's node died).</li>
 * </ul>
 * Keys are written as they render ({@code service-42}) and read back through the cache's key templates. Bad input
 * gets a 4xx whose JSON names what was wrong.
 */
public class AdminServlet extends HttpServlet {

    static final String ROLE = "role";
    static final int SHARE_SECONDS = 5;
    /** The window of the {@code recent...} figures: loads, faults and invalidation delays of the last minutes. */
    static final int RECENT_MINUTES = 5;
    /** How long a question where a key is waits for the other nodes' answers. */
    static final java.time.Duration PRESENCE_WAIT = java.time.Duration.ofSeconds(2);
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(AdminServlet.class.getName());
    private static final Pattern CACHES = Pattern.compile("/caches/?");
    private static final Pattern CACHE = Pattern.compile("/caches/([^/]+)/?");
    private static final Pattern KEY = Pattern.compile("/caches/([^/]+)/keys/(.+)");
    private static final Pattern PENDING = Pattern.compile("/pending/(.+)");
    private static final Pattern TASK = Pattern.compile("/tasks/([^/]+)");
    private static final Pattern WARM_UP = Pattern.compile("/caches/([^/]+)/warm-up");
    private static final Pattern PRELOAD = Pattern.compile("/caches/([^/]+)/preload");

    private transient AdminAccess access;
    private transient ScheduledFuture<?> sharing;

    @Override
    public void init() {
        access = new AdminAccess(getInitParameter(ROLE));
        try {
            ScheduledExecutorService scheduler = (ScheduledExecutorService) new InitialContext()
                    .lookup("java:comp/DefaultManagedScheduledExecutorService");
            sharing = scheduler.scheduleWithFixedDelay(this::shareQuietly, 1, SHARE_SECONDS, TimeUnit.SECONDS);
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.INFO, "No managed scheduler: this node shares its cache figures only when asked", e);
        }
    }

    @Override
    public void destroy() {
        if (sharing != null) {
            sharing.cancel(false);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!access.admits(request, response)) {
            return;
        }
        String path = Optional.ofNullable(request.getPathInfo()).orElse("");
        String method = request.getMethod();
        Matcher matcher;
        if (path.isEmpty() && method.equals("GET")) {
            response.sendRedirect(request.getRequestURI() + "/");
        } else if (path.equals("/") && method.equals("GET")) {
            dashboard(response);
        } else if ((matcher = TASK.matcher(path)).matches() && method.equals("GET")) {
            Optional<TaskStatus> task = bean(CacheTasks.class).status(decode(matcher.group(1)));
            if (task.isPresent()) {
                json(response, 200, task(task.get()).build());
            } else {
                error(response, 404, "no task '" + decode(matcher.group(1)) + "' (unknown, or ended long ago)");
            }
        } else if ((matcher = TASK.matcher(path)).matches() && method.equals("DELETE")) {
            String id = decode(matcher.group(1));
            if (bean(CacheTasks.class).cancel(id)) {
                json(response, 202, Json.createObjectBuilder().add("id", id).add("cancelling", "the task stops at"
                        + " its next step").build());
            } else {
                error(response, 409, "task '" + id + "' is not pending (unknown, or already ended): nothing to"
                        + " cancel");
            }
        } else if ((matcher = WARM_UP.matcher(path)).matches() && method.equals("POST")) {
            warmUp(request, response, decode(matcher.group(1)));
        } else if ((matcher = PRELOAD.matcher(path)).matches() && method.equals("POST")) {
            String cache = decode(matcher.group(1));
            if (known(response, cache)) {
                startTask(request, response, () -> bean(CacheTasks.class).preload(cache));
            }
        } else if (path.matches("/tasks/?") && method.equals("GET")) {
            JsonArrayBuilder list = Json.createArrayBuilder();
            bean(CacheTasks.class).recent().forEach(task -> list.add(task(task)));
            json(response, 200, Json.createObjectBuilder().add("tasks", list).build());
        } else if ((matcher = PENDING.matcher(path)).matches() && method.equals("DELETE")) {
            String scope = decode(matcher.group(1));
            boolean cleared = bean(CacheTasks.class).clearPending(scope);
            json(response, cleared ? 200 : 404, Json.createObjectBuilder().add("scope", scope)
                    .add(cleared ? "cleared" : "error", cleared ? "the pending flag" : "no pending flag for scope '"
                            + scope + "'").build());
        } else if (CACHES.matcher(path).matches() && method.equals("GET")) {
            json(response, 200, caches());
        } else if ((matcher = KEY.matcher(path)).matches() && (method.equals("GET") || method.equals("DELETE"))) {
            key(response, method, decode(matcher.group(1)), decode(matcher.group(2)));
        } else if ((matcher = CACHE.matcher(path)).matches() && method.equals("DELETE")) {
            String cache = decode(matcher.group(1));
            if (known(response, cache)) {
                bean(CacheLayers.class).invalidateAll(cache);
                json(response, 200, Json.createObjectBuilder().add("cache", cache).add("invalidated", "all entries")
                        .build());
            }
        } else {
            error(response, 404, method + " " + path + " is not part of this resource; try GET /caches,"
                    + " GET or DELETE /caches/{cache}/keys/{key}, DELETE /caches/{cache}, POST"
                    + " /caches/{cache}/warm-up, POST /caches/{cache}/preload, GET /tasks, GET or DELETE /tasks/{id},"
                    + " DELETE /pending/{scope}");
        }
    }

    /**
     * Starts a warm-up of {@code cache} for the keys of the JSON body {@code {"keys": ["service-1", ...]}}: 202 with
     * the task and its status URL (also as {@code Location}), 409 naming the pending warm-up, 400 for a bad body
     * or key.
     */
    private void warmUp(HttpServletRequest request, HttpServletResponse response, String cache) throws IOException {
        if (!known(response, cache)) {
            return;
        }
        List<String> keys = new java.util.ArrayList<>();
        try (JsonReader reader = Json.createReader(request.getReader())) {
            for (JsonValue key : reader.readObject().getJsonArray("keys")) {
                keys.add(((jakarta.json.JsonString) key).getString());
            }
        } catch (jakarta.json.JsonException | ClassCastException | NullPointerException e) {
            error(response, 400, "the body must be JSON like {\"keys\": [\"key-1\", \"key-2\"]} with keys of"
                    + " cache '" + cache + "' as they render: " + e.getMessage());
            return;
        }
        List<String> chosen = keys;
        startTask(request, response, () -> bean(CacheTasks.class).warmUp(cache, chosen));
    }

    /** Answers a task's start: 202 with the task and its status URL (also as {@code Location}), 409, or 400. */
    private static void startTask(HttpServletRequest request, HttpServletResponse response,
                                  java.util.function.Supplier<TaskStatus> start) throws IOException {
        String tasks = request.getRequestURL().toString().replaceFirst("/caches/[^/]+/[^/]+$", "/tasks/");
        try {
            TaskStatus task = start.get();
            response.setHeader("Location", tasks + task.id());
            json(response, 202, task(task).add("status", tasks + task.id()).build());
        } catch (IllegalArgumentException e) {
            error(response, 400, e.getMessage());
        } catch (TaskPendingException e) {
            json(response, 409, Json.createObjectBuilder().add("status", 409).add("error", e.getMessage())
                    .add("pending", task(e.pending()).add("status", tasks + e.pending().id())).build());
        }
    }

    /** The dashboard: one HTML page (its CSS and script inline) that reads and drives this resource. */
    private static void dashboard(HttpServletResponse response) throws IOException {
        try (java.io.InputStream page = AdminServlet.class.getResourceAsStream("dashboard.html")) {
            if (page == null) {
                error(response, 500, "the dashboard page is missing from the library jar");
                return;
            }
            response.setContentType("text/html");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline' 'self';"
                    + " style-src 'unsafe-inline' 'self'");
            page.transferTo(response.getOutputStream());
        }
    }

    private void key(HttpServletResponse response, String method, String cache, String text) throws IOException {
        if (!known(response, cache)) {
            return;
        }
        CacheOperations operations = bean(CacheOperations.class);
        Optional<CacheKey> key = operations.parseKey(cache, text);
        if (key.isEmpty()) {
            error(response, 400, "key '" + text + "' does not fit any key template of cache '" + cache + "' "
                    + operations.keyTemplates(cache));
            return;
        }
        if (method.equals("DELETE")) {
            bean(CacheLayers.class).invalidate(cache, key.get());
            json(response, 200, Json.createObjectBuilder().add("cache", cache).add("invalidated", text).build());
            return;
        }
        KeyPresence presence = bean(KeyPresences.class).presence(cache, key.get(), PRESENCE_WAIT);
        JsonObjectBuilder body = Json.createObjectBuilder().add("cache", cache).add("key", presence.key())
                .add("cluster", presence.cluster());
        if (presence.clusterAgeMillis() != null) {
            body.add("clusterAgeMillis", presence.clusterAgeMillis());
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
        json(response, 200, body.add("nodes", nodes).add("unanswered", unanswered).build());
    }

    /** Every cache's figures, summed over the nodes that shared theirs, and each node's. */
    private JsonObject caches() {
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
        return Json.createObjectBuilder().add("node", bean(CacheRegistry.class).nodeName())
                .add("nodes", nodes.size()).add("recentMinutes", RECENT_MINUTES)
                .add("preloadable", Json.createArrayBuilder(new java.util.TreeSet<>(
                        bean(CacheOperations.class).preloadedCaches())))
                .add("caches", caches).build();
    }

    /** Publishes this node's figures and returns every node's. */
    private Map<String, String> share() {
        CacheAdmin admin = bean(CacheAdmin.class);
        JsonObjectBuilder figures = Json.createObjectBuilder();
        CacheRegistry registry = bean(CacheRegistry.class);
        for (String cache : admin.cacheNames()) {
            RecentFigures recent = registry.recent(cache, RECENT_MINUTES);
            figures.add(cache, counters(admin.statistics(cache)).add("recentLoads", recent.loads())
                    .add("recentFaults", recent.faults()).add("recentDelays", recent.delays())
                    .add("recentDelayTotalMillis", recent.delayTotalMillis())
                    .add("recentDelayMaxMillis", recent.delayMaxMillis()));
        }
        return bean(CacheRegistry.class).shareFigures(figures.build().toString(), SHARE_SECONDS * 3);
    }

    private void shareQuietly() {
        try {
            share();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "this node's cache figures could not be shared", e);
        }
    }

    private static JsonObjectBuilder task(TaskStatus task) {
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

    private static JsonObjectBuilder counters(CacheStatistics s) {
        return Json.createObjectBuilder().add("requestHits", s.requestHits()).add("nearHits", s.nearHits())
                .add("clusterHits", s.clusterHits()).add("loads", s.loads()).add("sharedLoads", s.sharedLoads())
                .add("invalidations", s.invalidations()).add("invalidationsReceived", s.invalidationsReceived())
                .add("faults", s.faults()).add("waits", s.waits()).add("waitsGivenUp", s.waitsGivenUp())
                .add("staleServed", s.staleServed())
                .add("oversized", s.oversized()).add("refreshes", s.refreshes()).add("preloaded", s.preloaded())
                .add("preloadChunks", s.preloadChunks()).add("calls", s.calls());
    }

    private boolean known(HttpServletResponse response, String cache) throws IOException {
        if (bean(CacheAdmin.class).cacheNames().contains(cache)) {
            return true;
        }
        error(response, 404, "unknown cache '" + cache + "'; the caches are " + bean(CacheAdmin.class).cacheNames());
        return false;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private static <T> T bean(Class<T> type) {
        return CDI.current().select(type).get();
    }

    static void error(HttpServletResponse response, int status, String message) throws IOException {
        json(response, status, Json.createObjectBuilder().add("status", status).add("error", message).build());
    }

    private static void json(HttpServletResponse response, int status, JsonObject body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body.toString());
    }
}
