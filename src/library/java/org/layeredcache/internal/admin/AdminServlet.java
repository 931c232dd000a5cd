package org.layeredcache.internal.admin;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheTasks;
import org.layeredcache.TaskPendingException;
import org.layeredcache.TaskStatus;
import org.layeredcache.internal.cache.CacheLayers;
import org.layeredcache.internal.layer.EntityDependencies;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.operation.CacheOperations;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
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
 *       figures (each node publishes its own to a cluster map every {@value NodeFigures#SHARE_SECONDS} s and on each call),
 *       including loads, faults and the delays of invalidations from other nodes over the last
 *       {@value NodeFigures#RECENT_MINUTES} minutes ({@code recent...}; delays summed over nodes except their maximum);</li>
 *   <li>{@code GET .../caches} also carries each node's samples of the last {@value FigureHistory#MINUTES} minutes
 *       ({@code history}), which the dashboard draws as charts;</li>
 *   <li>{@code GET .../caches/{cache}/audit}: what the consistency auditor found on this node, with the last
 *       divergences ({@code CacheAdmin.audit});</li>
 *   <li>{@code GET .../caches/{cache}/keys/{key}}: where the key is (the cluster layer, and the near layer of each
 *       node that answers within {@link #PRESENCE_WAIT}; this node's first, also as {@code near}) and how old it
 *       is there;</li>
 *   <li>{@code DELETE .../caches/{cache}/keys/{key}} and {@code DELETE .../caches/{cache}}: invalidates the key or
 *       the whole cache, on every node, as {@code @Invalidates} does;</li>
 *   <li>{@code DELETE .../entities/{entity class}}: drops every entry built from an entity of that type
 *       ({@code trackEntities}), on every node: for bulk JPQL, native SQL or other programs' writes;</li>
 *   <li>{@code POST .../caches/{cache}/warm-up} with {@code {"keys": [...]}}: starts a warm-up task (202 with its
 *       status URL; 409 while one of the cache is pending); {@code POST .../caches/{cache}/preload}: starts the
 *       cache's bulk preload ({@code @Preloads}) the same way;</li>
 *   <li>{@code GET .../tasks}: the background tasks the cluster knows ({@code CacheTasks}), newest first;
 *       {@code GET} or {@code DELETE .../tasks/{id}}: one task's status, or cancelling it;
 *       {@code DELETE .../pending/{scope}}: releases a scope's pending flag (its task's node died);</li>
 *   <li>{@code GET .../counters}: each counter's flushing ({@code Counters.status}); {@code POST
 *       .../counters/{counter}/flush}: flushes every counter now, on this node (the ledger keeps a flush that
 *       overlaps the flushing node's from persisting anything twice).</li>
 * </ul>
 * Keys are written as they render ({@code service-42}) and read back through the cache's key templates. Bad input
 * gets a 4xx whose JSON names what was wrong.
 */
public class AdminServlet extends HttpServlet {

    static final String ROLE = "role";
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
    private static final Pattern AUDIT = Pattern.compile("/caches/([^/]+)/audit");
    private static final Pattern COUNTER_FLUSH = Pattern.compile("/counters/([^/]+)/flush");
    private static final Pattern ENTITY_TYPE = Pattern.compile("/entities/([^/]+)");
    private static final Pattern CLASS_NAME = Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
            + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    private transient AdminAccess access;
    private transient NodeFigures figures;
    private transient ScheduledFuture<?> sharing;

    @Override
    public void init() {
        access = new AdminAccess(getInitParameter(ROLE));
        figures = new NodeFigures(bean(CacheRegistry.class), bean(CacheAdmin.class));
        try {
            ScheduledExecutorService scheduler = (ScheduledExecutorService) new InitialContext()
                    .lookup("java:comp/DefaultManagedScheduledExecutorService");
            sharing = scheduler.scheduleWithFixedDelay(this::shareQuietly, 1, NodeFigures.SHARE_SECONDS,
                    TimeUnit.SECONDS);
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
                json(response, 200, AdminJson.task(task.get()).build());
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
        } else if ((matcher = AUDIT.matcher(path)).matches() && method.equals("GET")) {
            String cache = decode(matcher.group(1));
            if (known(response, cache)) {
                json(response, 200, AdminJson.audit(bean(CacheAdmin.class).audit(cache)).build());
            }
        } else if (path.matches("/tasks/?") && method.equals("GET")) {
            JsonArrayBuilder list = Json.createArrayBuilder();
            bean(CacheTasks.class).recent().forEach(task -> list.add(AdminJson.task(task)));
            json(response, 200, Json.createObjectBuilder().add("tasks", list).build());
        } else if ((matcher = PENDING.matcher(path)).matches() && method.equals("DELETE")) {
            String scope = decode(matcher.group(1));
            boolean cleared = bean(CacheTasks.class).clearPending(scope);
            json(response, cleared ? 200 : 404, Json.createObjectBuilder().add("scope", scope)
                    .add(cleared ? "cleared" : "error", cleared ? "the pending flag" : "no pending flag for scope '"
                            + scope + "'").build());
        } else if (path.matches("/counters/?") && method.equals("GET")) {
            JsonArrayBuilder list = Json.createArrayBuilder();
            new java.util.TreeSet<>(bean(CacheOperations.class).counters().keySet()).forEach(counter -> list.add(
                    AdminJson.counter(bean(org.layeredcache.Counters.class).status(counter))));
            json(response, 200, Json.createObjectBuilder().add("counters", list).build());
        } else if ((matcher = COUNTER_FLUSH.matcher(path)).matches() && method.equals("POST")) {
            String counter = decode(matcher.group(1));
            if (bean(CacheOperations.class).counter(counter).isEmpty()) {
                error(response, 404, "no counter '" + counter + "'; the counters are "
                        + new java.util.TreeSet<>(bean(CacheOperations.class).counters().keySet()));
            } else {
                bean(org.layeredcache.internal.counter.ClusterCounters.class).flushNow();
                json(response, 200, AdminJson.counter(bean(org.layeredcache.Counters.class).status(counter)).build());
            }
        } else if (CACHES.matcher(path).matches() && method.equals("GET")) {
            json(response, 200, figures.caches().add("preloadable", Json.createArrayBuilder(
                    new java.util.TreeSet<>(bean(CacheOperations.class).preloadedCaches()))).build());
        } else if ((matcher = KEY.matcher(path)).matches() && (method.equals("GET") || method.equals("DELETE"))) {
            key(response, method, decode(matcher.group(1)), decode(matcher.group(2)));
        } else if ((matcher = ENTITY_TYPE.matcher(path)).matches() && method.equals("DELETE")) {
            String type = decode(matcher.group(1));
            if (!CLASS_NAME.matcher(type).matches()) {
                error(response, 400, "'" + type + "' is not a class name; write the entity's fully qualified class"
                        + " name, such as com.example.Service");
            } else {
                bean(CacheLayers.class).invalidateTags(EntityDependencies.typeTagsOf(type));
                json(response, 200, Json.createObjectBuilder().add("entityType", type)
                        .add("invalidated", "every entry built from an entity of this type").build());
            }
        } else if ((matcher = CACHE.matcher(path)).matches() && method.equals("DELETE")) {
            String cache = decode(matcher.group(1));
            if (known(response, cache)) {
                bean(CacheLayers.class).invalidateAll(cache);
                json(response, 200, Json.createObjectBuilder().add("cache", cache).add("invalidated", "all entries")
                        .build());
            }
        } else {
            error(response, 404, method + " " + path + " is not part of this resource; try GET /caches,"
                    + " GET or DELETE /caches/{cache}/keys/{key}, DELETE /caches/{cache}, GET /caches/{cache}/audit,"
                    + " POST"
                    + " /caches/{cache}/warm-up, POST /caches/{cache}/preload, GET /tasks, GET or DELETE /tasks/{id},"
                    + " DELETE /pending/{scope}, DELETE /entities/{entity class}, GET /counters,"
                    + " POST /counters/{counter}/flush");
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
            json(response, 202, AdminJson.task(task).add("status", tasks + task.id()).build());
        } catch (IllegalArgumentException e) {
            error(response, 400, e.getMessage());
        } catch (TaskPendingException e) {
            json(response, 409, Json.createObjectBuilder().add("status", 409).add("error", e.getMessage())
                    .add("pending", AdminJson.task(e.pending()).add("status", tasks + e.pending().id())).build());
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
        json(response, 200, AdminJson.presence(presence));
    }

    private boolean known(HttpServletResponse response, String cache) throws IOException {
        if (bean(CacheAdmin.class).cacheNames().contains(cache)) {
            return true;
        }
        error(response, 404, "unknown cache '" + cache + "'; the caches are " + bean(CacheAdmin.class).cacheNames());
        return false;
    }

    private void shareQuietly() {
        try {
            figures.share();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "this node's cache figures could not be shared", e);
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private static <T> T bean(Class<T> type) {
        return CDI.current().select(type).get();
    }

    private static void error(HttpServletResponse response, int status, String message) throws IOException {
        AdminJson.error(response, status, message);
    }

    private static void json(HttpServletResponse response, int status, JsonObject body) throws IOException {
        AdminJson.write(response, status, body);
    }
}
