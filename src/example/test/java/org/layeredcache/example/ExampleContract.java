package org.layeredcache.example;

import jakarta.inject.Inject;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheRecording;
import org.layeredcache.CacheStatistics;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example service as deployed (its built WAR), checked endpoint by endpoint as the team of story 1 checked
 * theirs: which keys each call reads, which it writes on a miss, which a write drops; and what a cold page load
 * costs in SQL statements. Calls go over HTTP to the server the test runs in. Each database has a subclass.
 *
 * <p>Data rules (see {@code SeedData}): templates 13 to 15 belong to service 5; user 5 belongs to service 5.
 * Writes use data of their own, so the tests can run again on a database that keeps its data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ExampleContract {

    static final long SERVICE = 5;
    static final long USER = 5;
    static final long TEMPLATE_ON_PAGE = 15;
    /** The template entity's class, whose changes entity tracking sees. */
    static final String TEMPLATE_CLASS = "org.layeredcache.example.data.Template";
    static final String VERSION_CLASS = "org.layeredcache.example.data.TemplateVersion";
    static final String STATS_CLASS = "org.layeredcache.example.data.TemplateStats";
    static final String RECENT_CLASS = "org.layeredcache.example.data.RecentView";
    static final long TEMPLATE_TO_EDIT = 13;

    /** The built example WAR, with the given configuration in place of its own. */
    static WebArchive exampleWar(String configuration) {
        File war = new File(System.getProperty("project.buildDirectory", "target"), "layered-cache-example.war");
        WebArchive archive = ShrinkWrap.createFromZipFile(WebArchive.class, war);
        archive.delete("/WEB-INF/classes/META-INF/microprofile-config.properties");
        return archive.addAsResource(new StringAsset(configuration), "META-INF/microprofile-config.properties")
                .addClass(ExampleContract.class);
    }

    @ArquillianResource
    URL base;

    @Inject
    CacheAdmin admin;

    private final HttpClient http = HttpClient.newHttpClient();

    private String call(String method, String path, String json, int expectedStatus) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), method + " " + path + ": " + response.body());
        return response.body();
    }

    private String get(String path) throws Exception {
        return call("GET", path, null, 200);
    }

    /** What the server's {@code /metrics} endpoint (Prometheus text) shows for the application. */
    private String metrics() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base.toString())
                .resolve("/metrics?scope=application")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** The sum of the values of metric {@code name} over its lines that carry every given tag. */
    private static double metric(String metrics, String name, String... tags) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)}\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(metrics);
        double sum = 0;
        boolean found = false;
        while (line.find()) {
            boolean matches = true;
            for (String tag : tags) {
                matches &= line.group(1).contains(tag);
            }
            if (matches) {
                sum += Double.parseDouble(line.group(2));
                found = true;
            }
        }
        assertTrue(found, name + " with " + List.of(tags) + " on /metrics:\n" + metrics);
        return sum;
    }

    /** What one call did to the caches. */
    private CacheRecording recorded(Call call) throws Exception {
        try (CacheRecording recording = admin.startRecording()) {
            call.run();
            return recording;
        }
    }

    /**
     * The SQL statements the example's JPA sent so far, from its {@code SqlStatementCounter}. The test runs inside
     * the deployed example, where that class lives; the tests are compiled without the example's classes.
     */
    private static long sqlStatements() throws ReflectiveOperationException {
        return (long) Class.forName("org.layeredcache.example.data.SqlStatementCounter")
                .getMethod("statements").invoke(null);
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private static void readMissedAndWrote(CacheRecording recording, String cache, String... keys) {
        assertEquals(List.of(keys), recording.reads(cache), cache + " reads");
        assertEquals(List.of(keys), recording.misses(cache), cache + " misses");
        assertEquals(List.of(keys), recording.writes(cache), cache + " writes");
    }

    private static void readOnly(CacheRecording recording, String cache, String... keys) {
        assertEquals(List.of(keys), recording.reads(cache), cache + " reads");
        assertEquals(List.of(), recording.misses(cache), cache + " misses");
        assertEquals(List.of(), recording.writes(cache), cache + " writes");
    }

    private static void dropped(CacheRecording recording, String cache, String... keys) {
        assertEquals(Set.of(keys), Set.copyOf(recording.invalidations(cache)), cache + " invalidations");
        assertEquals(keys.length, recording.invalidations(cache).size(), cache + " invalidations, counted");
    }

    /**
     * The tags a recorded call dropped, less those of the background writes of page views: a recording sees the
     * whole node, and every few seconds the page-view counter's flush persists {@code TemplateStats} rows and the
     * store of recently viewed lists {@code RecentView} rows (a new row drops its type's query tag) whenever
     * earlier tests viewed a template.
     */
    private static Set<String> tagsDropped(CacheRecording recording) {
        return recording.tagInvalidations().stream().filter(tag -> !tag.contains(STATS_CLASS)
                && !tag.contains(RECENT_CLASS)).collect(Collectors.toSet());
    }

    /**
     * First, before anything else touches the caches: concurrent cold pages, so that each cache is first used in a
     * request that has already read through JPA without a transaction, while other requests run. On Payara this
     * once left whole caches failing on every cluster operation (see {@link #noCacheFault()}).
     */
    @Test
    @Order(0)
    void concurrentColdPagesAsTheFirstRequestsCauseNoCacheFault() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> pages = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                long service = 1 + i % 20;
                long template = (service - 1) * 3 + 1 + i % 3;
                pages.add(clients.submit(() -> get("services/" + service + "/templates/" + template
                        + "/page?user=" + service)));
            }
            for (Future<String> page : pages) {
                assertTrue(page.get(60, TimeUnit.SECONDS).contains("\"templateId\""));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void eachReadEndpointReadsItsKeyWritesItOnAMissAndThenHits() throws Exception {
        admin.invalidateAll("services");
        admin.invalidateAll("users");
        admin.invalidateAll("templates");
        String service = "service-" + SERVICE;

        readMissedAndWrote(recorded(() -> get("services/" + SERVICE)), "services", service);
        readOnly(recorded(() -> get("services/" + SERVICE)), "services", service);

        readMissedAndWrote(recorded(() -> get("users/" + USER)), "users", "user-" + USER);
        readOnly(recorded(() -> get("users/" + USER)), "users", "user-" + USER);

        CacheRecording templates = recorded(() -> get("services/" + SERVICE + "/templates"));
        readOnly(templates, "services", service);
        readMissedAndWrote(templates, "templates", service + "-templates");

        readMissedAndWrote(recorded(() -> get("templates/" + TEMPLATE_ON_PAGE + "/versions")), "templates",
                "template-" + TEMPLATE_ON_PAGE + "-versions");
        readMissedAndWrote(recorded(() -> get("templates/" + TEMPLATE_ON_PAGE + "/versions/1")), "templates",
                "template-" + TEMPLATE_ON_PAGE + "-version-1");
        readOnly(recorded(() -> get("templates/" + TEMPLATE_ON_PAGE + "/versions/1")), "templates",
                "template-" + TEMPLATE_ON_PAGE + "-version-1");
    }

    @Test
    void aColdPageCostsOneQueryPerReadAndAWarmPageNone() throws Exception {
        admin.invalidateAll("services");
        admin.invalidateAll("users");
        admin.invalidateAll("templates");
        String page = "services/" + SERVICE + "/templates/" + TEMPLATE_ON_PAGE + "/page?user=" + USER;
        int version = currentVersion(get("services/" + SERVICE + "/templates"), TEMPLATE_ON_PAGE);
        admin.invalidateAll("services");
        admin.invalidateAll("templates");

        long before = sqlStatements();
        CacheRecording cold = recorded(() -> get(page));
        long coldStatements = sqlStatements() - before;

        readMissedAndWrote(cold, "services", "service-" + SERVICE);
        // The user is read twice: for the page, and by the permission check, memoized for the request.
        assertEquals(List.of("user-" + USER, "user-" + USER), cold.reads("users"));
        assertEquals(List.of("user-" + USER), cold.misses("users"));
        readMissedAndWrote(cold, "templates", "service-" + SERVICE + "-templates",
                "template-" + TEMPLATE_ON_PAGE + "-version-" + version);
        assertEquals(4, coldStatements, "service, user, template list, version: one statement each, no N+1");

        before = sqlStatements();
        CacheRecording warm = recorded(() -> get(page));
        assertEquals(0, sqlStatements() - before, "a warm page does not touch the database");
        assertEquals(List.of(), warm.misses("services"));
        assertEquals(List.of(), warm.misses("users"));
        assertEquals(List.of(), warm.misses("templates"));
    }

    /**
     * The members page needs every member of a service at once: a cold page reads them through per-element
     * caching with one query for all of them, a warm page with none, and after one member's change, one query for
     * that member alone. The page keeps the service's order of members.
     */
    @Test
    void theMembersPageLoadsAllMissingMembersInOneQueryAndAWarmPageNone() throws Exception {
        String service = get("services/" + SERVICE);
        List<String> memberKeys = new java.util.ArrayList<>();
        Matcher ids = Pattern.compile("\"userIds\":\\[([^\\]]*)]").matcher(service);
        assertTrue(ids.find(), service);
        for (String id : ids.group(1).split(",")) {
            memberKeys.add("user-" + id.trim());
        }
        assertTrue(memberKeys.size() >= 2, "the seeded service has members: " + service);
        admin.invalidateAll("services");
        admin.invalidateAll("users");

        long before = sqlStatements();
        String[] page = new String[1];
        CacheRecording cold = recorded(() -> page[0] = get("services/" + SERVICE + "/members"));
        assertEquals(2, sqlStatements() - before, "the service, then all its members in one query: no N+1");
        assertEquals(memberKeys, cold.misses("users"));
        assertEquals(memberKeys, cold.writes("users"));
        Matcher shown = Pattern.compile("\\{\"email\":\"[^\"]*\",\"id\":(\\d+)").matcher(page[0]);
        List<String> order = new java.util.ArrayList<>();
        while (shown.find()) {
            order.add("user-" + shown.group(1));
        }
        assertEquals(memberKeys, order, "the members in the service's order: " + page[0]);

        before = sqlStatements();
        CacheRecording warm = recorded(() -> get("services/" + SERVICE + "/members"));
        assertEquals(0, sqlStatements() - before, "a warm members page does not touch the database");
        assertEquals(List.of(), warm.misses("users"));

        String changed = memberKeys.get(1);
        HttpResponse<String> dropped = admin("DELETE", "caches/users/keys/" + changed, "alice");
        assertEquals(200, dropped.statusCode(), dropped.body());
        before = sqlStatements();
        CacheRecording one = recorded(() -> get("services/" + SERVICE + "/members"));
        assertEquals(1, sqlStatements() - before, "one query, for the one member dropped");
        assertEquals(List.of(changed), one.misses("users"));
        assertEquals(List.of(changed), one.writes("users"));
        before = sqlStatements();
        get("users/" + changed.substring("user-".length()));
        assertEquals(0, sqlStatements() - before, "the single read finds the entry the members page wrote");
    }

    /**
     * The services cache's bulk preload, started through the admin resource: every service written to the cluster
     * in one chunk, read in pages (two statements for the example's 20 services), after which a read is a hit.
     */
    @Test
    void theServicesPreloadFillsTheClusterInChunksAndReadsThenHit() throws Exception {
        admin.invalidateAll("services");
        CacheStatistics before = admin.statistics("services");
        long statements = sqlStatements();
        HttpResponse<String> started = admin("POST", "caches/services/preload", "alice");
        String path = taskPath(started);
        String state = taskEnd(path);
        assertTrue(state.contains("\"state\":\"succeeded\"") && state.contains("\"done\":20")
                && state.contains("\"skipped\":0"), state);
        assertEquals(2, sqlStatements() - statements, "one page: its ids, then its services with their members");
        CacheStatistics after = admin.statistics("services");
        assertEquals(20, after.preloaded() - before.preloaded());
        assertEquals(1, after.preloadChunks() - before.preloadChunks());

        long reads = sqlStatements();
        readOnly(recorded(() -> get("services/7")), "services", "service-7");
        assertEquals(reads, sqlStatements(), "a preloaded service is read from the cluster");
        HttpResponse<String> unknown = admin("POST", "caches/templates/preload", "alice");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("no @Preloads method fills cache 'templates'"), unknown.body());
    }

    @Test
    void eachWriteDropsExactlyTheKeysItMakesStale() throws Exception {
        String service = "service-" + SERVICE;
        get("services/" + SERVICE);

        CacheRecording rename = recorded(() -> call("PUT", "services/" + SERVICE,
                "{\"name\":\"Renamed " + ThreadLocalRandom.current().nextInt() + "\"}", 200));
        dropped(rename, "services", service);
        readMissedAndWrote(rename, "services", service);          // the response reads it back, fresh

        long user = 7;
        CacheRecording grant = recorded(() -> call("POST", "services/" + SERVICE + "/users/" + user,
                "{\"permissions\":\"view_activity\"}", 204));
        dropped(grant, "users", "user-" + user);
        dropped(grant, "services", service);

        call("GET", "services/" + SERVICE + "/templates", null, 200);           // the list, cached
        CacheRecording create = recorded(() -> call("POST", "services/" + SERVICE + "/templates",
                "{\"name\":\"Draft\",\"subject\":\"Hello\",\"content\":\"First\"}", 201));
        dropped(create, "templates");                             // no key: the new rows' types
        assertEquals(Set.of("jpa-query:" + TEMPLATE_CLASS, "jpa-query:" + VERSION_CLASS),
                tagsDropped(create), "tags dropped");
        long created = newestTemplateOfService();
        assertTrue(call("GET", "services/" + SERVICE + "/templates", null, 200).contains("\"id\":" + created),
                "the service's list was dropped by the new template, with no key named");

        CacheRecording update = recorded(() -> call("PUT", "services/" + SERVICE + "/templates/" + TEMPLATE_TO_EDIT,
                "{\"subject\":\"Hello again\",\"content\":\"Second\"}", 200));
        dropped(update, "templates");                             // no key: a tag, and the template entity
        assertEquals(Set.of("template-" + TEMPLATE_TO_EDIT, "jpa:" + TEMPLATE_CLASS + "#" + TEMPLATE_TO_EDIT,
                "jpa-query:" + VERSION_CLASS), tagsDropped(update), "tags dropped");

        call("GET", "services/" + SERVICE + "/templates", null, 200);           // the list, cached again
        String newName = "Plain JPA " + ThreadLocalRandom.current().nextInt(1_000_000);
        CacheRecording rename2 = recorded(() -> call("PUT", "services/" + SERVICE + "/templates/" + TEMPLATE_TO_EDIT
                + "/name", "{\"name\":\"" + newName + "\"}", 200));
        dropped(rename2, "templates");                            // no annotation at all: the template entity
        assertEquals(Set.of("jpa:" + TEMPLATE_CLASS + "#" + TEMPLATE_TO_EDIT), tagsDropped(rename2), "tags dropped");
        assertTrue(call("GET", "services/" + SERVICE + "/templates", null, 200).contains("\"" + newName + "\""),
                "the list was dropped by the rename, a write with no cache annotation");

        call("PUT", "services/" + SERVICE + "/templates/" + created, "{\"subject\":\"v2\",\"content\":\"2\"}", 200);
        call("GET", "templates/" + created + "/versions/1", null, 200);        // cached, with the template's tag
        assertTrue(call("GET", "services/" + SERVICE + "/templates", null, 200).contains("\"id\":" + created),
                "the service's list, cached with the new template");
        call("GET", "templates/" + created + "/versions", null, 200);
        CacheRecording delete = recorded(() -> call("DELETE", "services/" + SERVICE + "/templates/" + created,
                null, 204));
        dropped(delete, "templates");
        assertEquals(Set.of("template-" + created, "jpa:" + TEMPLATE_CLASS + "#" + created,
                "jpa-query:" + TEMPLATE_CLASS), tagsDropped(delete), "tags dropped");
        call("GET", "templates/" + created + "/versions/1", null, 404);
        assertFalse(call("GET", "services/" + SERVICE + "/templates", null, 200).contains("\"id\":" + created),
                "the list was dropped by the template entity's removal, with no key named");
        call("GET", "templates/" + created + "/versions", null, 404);
    }

    /**
     * Users copy example code, so its writes must be right under concurrency: the same user added to the same
     * service by two requests at once ends with one membership, and both requests succeed.
     */
    @Test
    void addingTheSameUserTwiceAtOnceLeavesOneMembership() throws Exception {
        long service = 12;                                           // users 21 to 28 do not belong to it yet
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            for (long user = 21; user <= 28; user++) {
                CountDownLatch start = new CountDownLatch(1);
                String path = "services/" + service + "/users/" + user;
                List<Future<String>> grants = new ArrayList<>();
                for (int client = 0; client < 2; client++) {
                    String permissions = "{\"permissions\":\"grant-" + client + "\"}";
                    grants.add(clients.submit(() -> {
                        start.await();
                        return call("POST", path, permissions, 204);
                    }));
                }
                start.countDown();
                for (Future<String> grant : grants) {
                    grant.get(60, TimeUnit.SECONDS);
                }
                Matcher memberships = Pattern.compile("\"serviceId\":" + service + "[,}]").matcher(get("users/" + user));
                int count = 0;
                while (memberships.find()) {
                    count++;
                }
                assertEquals(1, count, "user " + user + " on service " + service);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * Bad input is answered with a 4xx in JSON whose message names what was wrong, and changes nothing: no row,
     * no cache entry written or dropped.
     */
    @Test
    void badInputIsAnsweredWithAClearClientErrorAndChangesNothing() throws Exception {
        String service = "services/" + SERVICE;
        String page = service + "/templates/" + TEMPLATE_ON_PAGE + "/page";
        String before = stored();
        String longName = "x".repeat(100_000);
        Object[][] requests = {
                {"PUT", service, "{\"name\":", 400, "not valid JSON"},
                {"PUT", service, "{\"name\": 42, \"settings\": [1]}", 400, "not valid JSON"},
                {"PUT", service, "null", 400, "request body: must not be null"},
                {"PUT", service, "{\"name\":123}", 400, "name: must be a string, not a number"},
                {"PUT", service, "{\"name\":[\"a\"]}", 400, "name: must be a string, not an array"},
                {"PUT", service, "{}", 400, "name, settings: both missing"},
                {"PUT", service, "{\"nom\":\"x\"}", 400, "nom: unknown field; this endpoint reads name, settings"},
                {"PUT", service, "[\"name\"]", 400, "expected an object with name, settings, got an array"},
                {"PUT", service, "{\"name\":\"x\"} trailing", 400, "not valid JSON"},
                {"PUT", service, "{\"name\":\"  \"}", 400, "name: must not be blank"},
                {"PUT", service, "{\"name\":\"" + longName + "\"}", 400, "name: size must be between 0 and 255"},
                {"POST", service + "/users/7", "{}", 400, "permissions: must not be blank"},
                {"POST", service + "/templates", "{\"subject\":\"s\",\"content\":\"c\"}", 400,
                        "name: must not be blank"},
                {"PUT", service + "/templates/" + TEMPLATE_TO_EDIT, "{\"subject\":\"s\"}", 400,
                        "content: must not be blank"},
                {"PUT", service + "/templates/" + TEMPLATE_TO_EDIT + "/name", "{\"name\":\" \"}", 400,
                        "name: must not be blank"},
                {"GET", page, null, 400, "query parameter 'user' is required"},
                {"GET", page + "?user=abc", null, 400, "query parameter 'user' must be a positive whole number"},
                {"GET", page + "?user=12345678901234567890", null, 400, "query parameter 'user' must be"},
                {"GET", "services/abc", null, 400, "path parameter 'serviceId' must be a positive whole number"},
                {"GET", "users/-3", null, 400, "path parameter 'userId' must be a positive whole number"},
        };
        for (Object[] request : requests) {
            String method = (String) request[0];
            String path = (String) request[1];
            CacheRecording recording = recorded(() -> {
                String body = call(method, path, (String) request[2], (Integer) request[3]);
                assertTrue(body.startsWith("{\"status\":" + request[3] + ",\"error\":\""), method + " " + path + ": " + body);
                assertTrue(body.contains((String) request[4]), method + " " + path + ": " + body);
            });
            for (String cache : List.of("services", "users", "templates")) {
                assertEquals(List.of(), recording.writes(cache), method + " " + path + " wrote to " + cache);
                assertEquals(List.of(), recording.invalidations(cache), method + " " + path + " dropped from " + cache);
            }
        }
        assertEquals(before, stored(), "the rows are as they were");
    }

    /** What the bad-input test's requests could have changed, read from the database (the caches emptied first). */
    private String stored() throws Exception {
        admin.invalidateAll("services");
        admin.invalidateAll("users");
        admin.invalidateAll("templates");
        return get("services/" + SERVICE) + get("users/7") + get("services/" + SERVICE + "/templates")
                + get("templates/" + TEMPLATE_TO_EDIT + "/versions");
    }

    /** Every call above went through the layers without a single cache fault. */
    @AfterEach
    void noCacheFault() {
        for (String cache : admin.cacheNames()) {
            assertEquals(0, admin.statistics(cache).faults(), cache + " had cache faults; see the server log");
        }
    }

    @Test
    void aWriteIsSeenByTheNextRead() throws Exception {
        String page = "services/" + SERVICE + "/templates/" + TEMPLATE_TO_EDIT + "/page?user=" + USER;
        get(page);
        String subject = "Subject " + ThreadLocalRandom.current().nextLong();

        call("PUT", "services/" + SERVICE + "/templates/" + TEMPLATE_TO_EDIT,
                "{\"subject\":\"" + subject + "\",\"content\":\"Fresh\"}", 200);

        assertTrue(get(page).contains("\"subject\":\"" + subject + "\""), "the page shows the new version");
    }

    /**
     * Story 2's write half: each page view adds one to the template's view counter in the cluster, which
     * {@code /templates/{id}/stats} answers at once (pending) and the background flush persists once.
     */
    @Test
    void eachPageViewIsCountedAtOnceAndPersistedOnceByTheFlush() throws Exception {
        String stats = "templates/" + TEMPLATE_TO_EDIT + "/stats";
        long before = number(get(stats), "views");      // exact also while a flush commits
        for (int i = 0; i < 5; i++) {
            get("services/" + SERVICE + "/templates/" + TEMPLATE_TO_EDIT + "/page?user=" + USER);
        }
        assertEquals(before + 5, number(get(stats), "views"), "persisted + pending right after the views");
        String flushed = flushed(stats);
        assertEquals(before + 5, number(flushed, "persisted"), flushed);
        call("GET", "templates/123456789/stats", null, 404);
        String counter = "counter=\"template-views\"";
        String metrics = metrics();
        assertTrue(metric(metrics, "layered_cache_counter_flushes", counter) >= 1, "the flushes are counted");
        assertEquals(0, metric(metrics, "layered_cache_counter_flush_failures", counter));
        // Counter-wide: other tests' page views of other templates may still be pending here.
        assertTrue(metric(metrics, "layered_cache_counter_pending", counter) >= 0);
        metric(metrics, "layered_cache_counter_flush_lag_seconds", counter);
        metric(metrics, "layered_cache_counter_not_in_cluster", counter);
    }

    /**
     * Story 2's objects written once per request: a page view puts the template first in the user's recently viewed
     * list, written to the cluster when the request ends (right after its answer, so a read that follows at once
     * may come a moment early: it is waited for, at most 5 s) and persisted by the background store.
     */
    @Test
    void aPageViewPutsItsTemplateFirstInTheUsersRecentlyViewedList() throws Exception {
        for (long template : List.of(TEMPLATE_ON_PAGE, TEMPLATE_TO_EDIT)) {
            get("services/" + SERVICE + "/templates/" + template + "/page?user=" + USER);
            String first = "\"templateIds\":[" + template;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            String recent = get("users/" + USER + "/recent");
            while (!recent.contains(first) && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
                recent = get("users/" + USER + "/recent");
            }
            assertTrue(recent.contains(first), "the view of template " + template + " comes first: " + recent);
        }
        assertTrue(get("users/" + USER + "/recent").contains("[" + TEMPLATE_TO_EDIT + "," + TEMPLATE_ON_PAGE),
                "newest first, each once");
        call("GET", "users/abc/recent", null, 400);
        String kind = "objects=\"recently-viewed\"";
        String metrics = metrics();
        assertTrue(metric(metrics, "layered_cache_objects_writes", kind) >= 2, "one cluster write per page view");
        assertEquals(0, metric(metrics, "layered_cache_objects_failed_writes", kind));
        assertEquals(0, metric(metrics, "layered_cache_objects_kept_on_node", kind));
        metric(metrics, "layered_cache_objects_pending", kind);
        metric(metrics, "layered_cache_objects_lag_seconds", kind);
        metric(metrics, "layered_cache_objects_store_failures", kind);
    }

    /** The stats once nothing is pending (within 30 s; the example flushes every 2 s). */
    private String flushed(String stats) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        String flushed = get(stats);
        while (number(flushed, "pending") != 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
            flushed = get(stats);
        }
        assertEquals(0, number(flushed, "pending"), "the flush persisted the views: " + flushed);
        return flushed;
    }

    private static long number(String json, String name) {
        Matcher number = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(number.find(), name + " in " + json);
        return Long.parseLong(number.group(1));
    }

    private long newestTemplateOfService() throws Exception {
        String list = get("services/" + SERVICE + "/templates");
        Matcher ids = Pattern.compile("\"id\":(\\d+)").matcher(list);
        long newest = 0;
        while (ids.find()) {
            newest = Math.max(newest, Long.parseLong(ids.group(1)));
        }
        return newest;
    }

    private static int currentVersion(String templateList, long templateId) {
        Matcher entry = Pattern.compile("\\{[^}]*\"currentVersion\":(\\d+),\"id\":" + templateId + ",").matcher(templateList);
        assertTrue(entry.find(), templateList);
        return Integer.parseInt(entry.group(1));
    }

    static final Function<String, String> SMALL_DATA_SET = datasource -> datasource + """
            example.seed.services=20
            example.seed.users=40
            layered-cache.admin.enabled=true
            example.admin.users=alice:alice-secret:layered-cache-admin,bob:bob-secret:
            example.rebuild.step-pause-ms=300
            layered-cache.cache.services.preload.on-start=false
            """;

    @Test
    void theCachesFiguresAreOnTheServersMetricsEndpoint() throws Exception {
        String cache = "cache=\"services\"";
        String before = metrics();
        get("services/" + SERVICE);
        get("services/" + SERVICE);
        String after = metrics();
        call("PUT", "services/" + SERVICE, "{\"name\":\"Metered " + ThreadLocalRandom.current().nextInt() + "\"}", 200);
        String written = metrics();

        double calls = 0;
        for (String figure : List.of("layered_cache_loads", "layered_cache_shared_loads")) {
            calls += metric(after, figure, cache) - metric(before, figure, cache);
        }
        for (String layer : List.of("request", "near", "cluster")) {
            calls += metric(after, "layered_cache_hits", cache, "layer=\"" + layer + "\"")
                    - metric(before, "layered_cache_hits", cache, "layer=\"" + layer + "\"");
        }
        assertEquals(2, calls, "two reads, each counted once in one layer or as a load");
        assertEquals(1, metric(written, "layered_cache_invalidations", cache, "origin=\"this_node\"")
                - metric(after, "layered_cache_invalidations", cache, "origin=\"this_node\""), "the write's one key");
        assertTrue(metric(after, "layered_cache_load_duration_seconds_count", cache) >= metric(after,
                "layered_cache_loads", cache), "every load timed");
        assertTrue(metric(after, "layered_cache_near_entries", cache) >= 0);
        metric(after, "layered_cache_near_size_bytes", cache);
        metric(after, "layered_cache_waits_given_up", cache);
        metric(after, "layered_cache_invalidation_delay_seconds_count", cache);
    }

    @Test
    void theTimersGiveEveryFigureInSecondsAndTheFaultCountersStartAtZero() throws Exception {
        get("services/" + SERVICE);
        call("PUT", "services/" + SERVICE, "{\"name\":\"Timed " + ThreadLocalRandom.current().nextInt() + "\"}", 200);
        get("services/" + SERVICE);                                // a load after the write: timed
        String metrics = metrics();
        String cache = "cache=\"services\"";
        double sum = metric(metrics, "layered_cache_load_duration_seconds_sum", cache);
        double max = metric(metrics, "layered_cache_load_duration_seconds_max", cache);
        double mean = metric(metrics, "layered_cache_load_duration_seconds_mean", cache);
        assertTrue(mean > 0 && mean <= max, "the mean load, in seconds: " + mean);
        // The quantiles are left out: Payara Micro 6.2025.10's exporter writes a timer's quantiles in nanoseconds
        // whatever its unit (the README says so).
        metric(metrics, "layered_cache_load_duration_seconds", cache, "quantile=\"0.5\"");
        assertTrue(sum > 0 && sum < 600, "the sum of the load times, in seconds: " + sum);
        assertTrue(max > 0 && max <= sum, "the longest load is one of those summed, in seconds too: " + max);
        for (String cacheName : admin.cacheNames()) {
            for (String kind : List.of("cluster", "key", "invalidation_message", "refresh_ahead", "other")) {
                metric(metrics, "layered_cache_faults_total", "cache=\"" + cacheName + "\"",
                        "operation=\"" + kind + "\"");
            }
        }
    }

    @Test
    void theReadinessCheckShowsEachCachesCircuitAndStaysUp() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base.toString())
                .resolve("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        String health = response.body().replaceAll("\\s", "");

        assertEquals(200, response.statusCode(), health);
        assertTrue(health.contains("\"name\":\"layered-cache\""), health);
        assertTrue(health.contains("\"services.cluster\":\"closed\""), health);
        assertTrue(health.matches(".*\"services.kept-invalidations\":\"?0\"?[,}].*"), health);
        assertTrue(health.contains("\"status\":\"UP\""), health);
        assertTrue(health.contains("\"objects.recently-viewed\":\""), "the shared objects' store: " + health);
    }

    /** The admin resource's path of the task that {@code started} answered 202 for (its Location). */
    private static String taskPath(HttpResponse<String> started) {
        assertEquals(202, started.statusCode(), started.body());
        String status = started.headers().firstValue("Location").orElseThrow();
        return status.substring(status.indexOf("/layered-cache/") + "/layered-cache/".length());
    }

    /** The task's status once it has ended (within 30 s), read through the admin resource. */
    private String taskEnd(String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String state;
        do {
            assertTrue(System.nanoTime() < deadline, "the task " + path + " ended within 30 s");
            Thread.sleep(50);
            state = admin("GET", path, "alice").body();
        } while (state.contains("\"queued\"") || state.contains("\"running\""));
        return state;
    }

    /** A call to the admin resource, as {@code user} (null: without credentials). */
    private HttpResponse<String> admin(String method, String path, String user) throws Exception {
        return admin(method, path, user, null);
    }

    /** A call to the admin resource with a JSON body ({@code null}: none). */
    private HttpResponse<String> admin(String method, String path, String user, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString()).resolve("layered-cache/" + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (user + ":" + user + "-secret").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAdminResourceAsksForCredentialsAndTheRole() throws Exception {
        HttpResponse<String> anonymous = admin("GET", "caches", null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.body().startsWith("{\"status\":401,\"error\":\"credentials required"),
                "the 401 in JSON, as the resource's other errors: " + anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                "the challenge is still there: " + anonymous.headers().map());
        HttpResponse<String> stranger = admin("GET", "caches", "mallory");        // a user nobody configured
        assertEquals(401, stranger.statusCode(), stranger.body());
        assertTrue(stranger.body().startsWith("{\"status\":401,"), "refused credentials, in JSON: " + stranger.body());
        HttpResponse<String> withoutRole = admin("GET", "caches", "bob");
        assertEquals(403, withoutRole.statusCode(), withoutRole.body());
        assertTrue(withoutRole.body().contains("layered-cache-admin"), withoutRole.body());

        HttpResponse<String> caches = admin("GET", "caches", "alice");
        assertEquals(200, caches.statusCode(), caches.body());
        for (String cache : List.of("\"services\"", "\"users\"", "\"templates\"", "\"cluster\"", "\"nearHits\"",
                "\"recentLoads\"", "\"recentDelayMaxMillis\"", "\"recentMinutes\":5")) {
            assertTrue(caches.body().contains(cache), cache + " in " + caches.body());
        }
    }

    @Test
    void theAdminResourceTellsWhereAKeyIsAndInvalidatesIt() throws Exception {
        String key = "caches/services/keys/service-" + SERVICE;
        get("services/" + SERVICE);
        HttpResponse<String> present = admin("GET", key, "alice");
        assertEquals(200, present.statusCode(), present.body());
        assertTrue(present.body().contains("\"near\":\"present\""), present.body());
        assertTrue(present.body().contains("\"cluster\":\"present\""), present.body());

        HttpResponse<String> dropped = admin("DELETE", key, "alice");
        assertEquals(200, dropped.statusCode(), dropped.body());
        HttpResponse<String> absent = admin("GET", key, "alice");
        assertTrue(absent.body().contains("\"near\":\"absent\""), absent.body());
        assertTrue(absent.body().contains("\"cluster\":\"absent\""), absent.body());
    }

    /** An entry's tags say why it would be dropped; once a tag is invalidated, the entry reads as dropped. */
    @Test
    void theAdminResourceShowsAnEntrysTags() throws Exception {
        String key = "caches/templates/keys/template-" + TEMPLATE_ON_PAGE + "-versions";
        get("templates/" + TEMPLATE_ON_PAGE + "/versions");
        String tagged = admin("GET", key, "alice").body();
        assertTrue(tagged.contains("\"cluster\":\"present\"") && tagged.contains("\"tags\":[\"template-"
                + TEMPLATE_ON_PAGE + "\"]"), tagged);
    }

    @Test
    void theAdminResourceNamesWhatWasWrongWithBadInput() throws Exception {
        HttpResponse<String> unknownCache = admin("GET", "caches/nope/keys/service-1", "alice");
        assertEquals(404, unknownCache.statusCode(), unknownCache.body());
        assertTrue(unknownCache.body().contains("unknown cache 'nope'"), unknownCache.body());

        HttpResponse<String> badKey = admin("GET", "caches/services/keys/service-x", "alice");
        assertEquals(400, badKey.statusCode(), badKey.body());
        assertTrue(badKey.body().contains("key 'service-x' does not fit any key template of cache 'services'"),
                badKey.body());
        assertTrue(badKey.body().contains("service-{serviceId}"), badKey.body());
    }

    /**
     * An operator warms keys up through the admin resource: 202 with the task's status URL, which tells the end;
     * the keys are then in the cluster; bad keys and bodies get a 400 naming what was wrong.
     */
    @Test
    void theAdminResourceWarmsKeysUpInTheBackground() throws Exception {
        admin("DELETE", "caches/users/keys/user-7", "alice");
        HttpResponse<String> started = admin("POST", "caches/users/warm-up", "alice",
                "{\"keys\": [\"user-7\", \"user-8\"]}");
        String path = taskPath(started);
        String state = taskEnd(path);
        assertTrue(state.contains("\"state\":\"succeeded\"") && state.contains("\"done\":2"), state);
        String where = admin("GET", "caches/users/keys/user-7", "alice").body();
        assertTrue(where.contains("\"cluster\":\"present\""), where);
        HttpResponse<String> ended = admin("DELETE", path, "alice");
        assertEquals(409, ended.statusCode(), "an ended task cannot be cancelled: " + ended.body());

        HttpResponse<String> badKey = admin("POST", "caches/users/warm-up", "alice", "{\"keys\": [\"user-x\"]}");
        assertEquals(400, badKey.statusCode(), badKey.body());
        assertTrue(badKey.body().contains("'user-x'") && badKey.body().contains("user-{userId}"), badKey.body());
        HttpResponse<String> badBody = admin("POST", "caches/users/warm-up", "alice", "[\"user-1\"]");
        assertEquals(400, badBody.statusCode(), badBody.body());
        assertTrue(badBody.body().contains("{\\\"keys\\\""), badBody.body());
        HttpResponse<String> unknownTask = admin("GET", "tasks/no-such-task", "alice");
        assertEquals(404, unknownTask.statusCode(), unknownTask.body());
    }

    /**
     * Story 4: a write that triggers a long rebuild answers 202 with the status URL at once; the same request while
     * the first is pending gets 409 naming the first one's URL; the status tells progress and the end, and the
     * admin resource lists the task.
     */
    @Test
    void aLongRebuildRunsInTheBackgroundAndASecondOneIsRefusedWhileItIsPending() throws Exception {
        long service = 3;
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(base.toString())
                .resolve("services/" + service + "/rebuild")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, first.statusCode(), first.body());
        Matcher statusUrl = Pattern.compile("\"status\":\"([^\"]+)\"").matcher(first.body());
        assertTrue(statusUrl.find(), first.body());
        String status = statusUrl.group(1);
        assertEquals(status, first.headers().firstValue("Location").orElse(""));

        HttpResponse<String> second = http.send(HttpRequest.newBuilder(URI.create(base.toString())
                .resolve("services/" + service + "/rebuild")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(409, second.statusCode(), second.body());
        assertTrue(second.body().contains(status), "names the pending rebuild: " + second.body());

        String state = rebuildEnd(status);
        assertTrue(state.contains("\"state\":\"succeeded\""), state);
        Matcher done = Pattern.compile("\"done\":(\\d+)").matcher(state);
        Matcher total = Pattern.compile("\"total\":(\\d+)").matcher(state);
        assertTrue(done.find() && total.find(), state);
        assertTrue(Long.parseLong(total.group(1)) > 1, "the rebuild told its steps: " + state);
        assertEquals(total.group(1), done.group(1), "every step done: " + state);

        HttpResponse<String> third = http.send(HttpRequest.newBuilder(URI.create(base.toString())
                .resolve("services/" + service + "/rebuild")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, third.statusCode(), "once ended, a new rebuild may start: " + third.body());
        String id = status.substring(status.lastIndexOf('/') + 1);
        HttpResponse<String> listed = admin("GET", "tasks", "alice");
        assertTrue(listed.body().contains(id), listed.body());
        // Its reads would show in the other tests' recordings, which see the whole node: let it end here.
        rebuildEnd(third.headers().firstValue("Location").orElseThrow());
    }

    /** The status of the example's task at {@code statusUrl} once it has ended (within 30 s). */
    private String rebuildEnd(String statusUrl) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String state;
        do {
            assertTrue(System.nanoTime() < deadline, "the rebuild ended within 30 s");
            Thread.sleep(100);
            state = http.send(HttpRequest.newBuilder(URI.create(statusUrl)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } while (state.contains("\"queued\"") || state.contains("\"running\""));
        return state;
    }
}
