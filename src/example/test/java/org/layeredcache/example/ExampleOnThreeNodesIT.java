package org.layeredcache.example;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.layeredcache.testing.FreePorts;
import org.layeredcache.testing.PayaraMicroProcess;
import org.layeredcache.testing.PostgresSchema;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Story 1's list of per-write invalidations as a test: the example's built WAR on three Payara Micro nodes in one
 * Hazelcast cluster (loopback, TCP/IP discovery) sharing one PostgreSQL schema, and every write the example offers
 * made on one node while the other nodes hold the old answer in their near layers; afterwards each node answers
 * the new one. Whether a write names its keys, names a tag, or names nothing at all (entity tracking, a new row of
 * a type a cached query read, a rename through plain JPA), no node keeps the old answer. Other nodes learn of a
 * write by a message sent after the commit, so each check waits at most {@link #LIMIT}; the report
 * ({@code target/cluster-report-ExampleOnThreeNodesIT.md}) says how many first reads after the write's answer were
 * already fresh and how long the slowest node took. All three nodes are stopped by their PIDs, also on failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExampleOnThreeNodesIT {

    /** How long another node may answer the old value after the write's answer: the message's delay, with room. */
    static final Duration LIMIT = Duration.ofSeconds(5);
    /** Data rules of the small data set (see {@code SeedData}): templates 13 to 15 and user 5 belong to service 5. */
    static final long SERVICE = 5;
    static final long USER = 5;
    static final long TEMPLATE = 13;
    static final long OTHER_USER = 9;

    private static final List<PayaraMicroProcess> NODES = new ArrayList<>();
    private static final List<String> REPORT = Collections.synchronizedList(new ArrayList<>());
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static PostgresSchema schema;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        schema = PostgresSchema.create("example_nodes");
        String name = ExampleOnThreeNodesIT.class.getSimpleName();
        File built = new File(PayaraMicroProcess.buildDirectory(), "layered-cache-example.war");
        WebArchive archive = ShrinkWrap.createFromZipFile(WebArchive.class, built);
        archive.delete("/WEB-INF/classes/META-INF/microprofile-config.properties");
        archive.addAsResource(new StringAsset("""
                example.datasource.class=org.postgresql.ds.PGSimpleDataSource
                example.datasource.url=%s
                example.datasource.user=postgres
                example.datasource.password=unused
                example.seed.services=20
                example.seed.users=40
                layered-cache.cache.services.preload.on-start=false
                layered-cache.counters.flush-period=500ms
                layered-cache.objects.store-period=500ms
                """.formatted(schema.url())), "META-INF/microprofile-config.properties");
        Path war = PayaraMicroProcess.buildDirectory().toPath().resolve(name + ".war");
        archive.as(ZipExporter.class).exportTo(war.toFile(), true);

        String cluster = System.getProperty("test.clusterName", "layered-cache-it") + "-" + name;
        int startPort = FreePorts.next();
        List<String> root = List.of("--contextroot", "/");
        // The first node alone: it seeds the empty schema; the two others then find the data there.
        NODES.add(PayaraMicroProcess.start(name + "-node-a", war, cluster, startPort, root));
        awaitReady(NODES.get(0));
        NODES.add(PayaraMicroProcess.start(name + "-node-b", war, cluster, startPort, root));
        NODES.add(PayaraMicroProcess.start(name + "-node-c", war, cluster, startPort, root));
        for (PayaraMicroProcess node : NODES) {
            awaitReady(node);
        }
        for (PayaraMicroProcess node : NODES) {
            assertTrue(node.awaitOutput(Pattern.compile("DG Size: 3"), Duration.ofMinutes(2)),
                    node.name() + " sees a cluster of three");
        }
    }

    private static void awaitReady(PayaraMicroProcess node) throws InterruptedException {
        assertTrue(node.awaitReady(Duration.ofMinutes(4)), node.name() + " started:\n" + node.output());
    }

    @AfterAll
    static void stopThreeNodes() throws Exception {
        try {
            for (PayaraMicroProcess node : NODES) {
                node.close();
            }
        } finally {
            Files.write(PayaraMicroProcess.buildDirectory().toPath()
                    .resolve("cluster-report-" + ExampleOnThreeNodesIT.class.getSimpleName() + ".md"), REPORT);
            if (schema != null) {
                schema.close();
            }
        }
    }

    @Test
    @Order(1)
    void renamingAServiceByKey() throws Exception {
        String name = "Renamed " + random();
        String path = "services/" + SERVICE;
        Predicate<String> renamed = body -> body.contains("\"name\":\"" + name + "\"");
        cachedEverywhere(path, renamed);
        call(node(0), "PUT", path, "{\"name\":\"" + name + "\"}", 200);
        seenOnEveryNode("PUT /services/{id} (@Invalidates by key)", path, renamed);
    }

    @Test
    @Order(2)
    void addingAUserToAServiceByKeys() throws Exception {
        String permissions = "view_activity_" + random();
        Predicate<String> granted = body -> body.contains(permissions);
        String user = "users/" + OTHER_USER;
        String members = "services/" + SERVICE + "/members";
        cachedEverywhere(user, granted);
        cachedEverywhere(members, granted);
        call(node(1), "POST", "services/" + SERVICE + "/users/" + OTHER_USER,
                "{\"permissions\":\"" + permissions + "\"}", 204);
        seenOnEveryNode("POST /services/{sid}/users/{uid}, the user (@Invalidates by key)", user, granted);
        seenOnEveryNode("POST /services/{sid}/users/{uid}, the service's members (@Invalidates by key)", members,
                granted);
    }

    @Test
    @Order(3)
    void creatingAndDeletingATemplateWithNoKeyNamed() throws Exception {
        String list = "services/" + SERVICE + "/templates";
        String name = "Draft " + random();
        Predicate<String> listed = body -> body.contains("\"name\":\"" + name + "\"");
        cachedEverywhere(list, listed);
        String created = call(node(2), "POST", list, "{\"name\":\"" + name + "\",\"subject\":\"Hello\","
                + "\"content\":\"First\"}", 201);
        seenOnEveryNode("POST /services/{sid}/templates (no annotation: a new row of a type the list's query read)",
                list, listed);

        String versions = "templates/" + number(created, "id") + "/versions";
        for (PayaraMicroProcess node : NODES) {
            call(node, "GET", versions, null, 200);                     // cached, with the template's tag
        }
        call(node(0), "DELETE", list + "/" + number(created, "id"), null, 204);
        seenOnEveryNode("DELETE /services/{sid}/templates/{tid}, the list (no key: the entity's removal)", list,
                listed.negate());
        seenOnEveryNode("DELETE /services/{sid}/templates/{tid}, the versions (@Invalidates by tag)", versions,
                404, body -> true);
    }

    @Test
    @Order(4)
    void changingATemplateByTagAndEntity() throws Exception {
        String name = "Edited " + random();
        String subject = "Subject " + random();
        String list = "services/" + SERVICE + "/templates";
        String page = list + "/" + TEMPLATE + "/page?user=" + USER;
        Predicate<String> named = body -> body.contains("\"name\":\"" + name + "\"");
        Predicate<String> shown = body -> body.contains("\"subject\":\"" + subject + "\"");
        cachedEverywhere(list, named);
        cachedEverywhere(page, shown);
        call(node(1), "PUT", list + "/" + TEMPLATE, "{\"name\":\"" + name + "\",\"subject\":\"" + subject
                + "\",\"content\":\"Text\"}", 200);
        seenOnEveryNode("PUT /services/{sid}/templates/{tid}, the list (no key: the template entity)", list, named);
        seenOnEveryNode("PUT /services/{sid}/templates/{tid}, the page's version (@Invalidates by tag)", page, shown);
    }

    @Test
    @Order(5)
    void renamingATemplateThroughPlainJpaWithNoAnnotation() throws Exception {
        String name = "Plain JPA " + random();
        String list = "services/" + SERVICE + "/templates";
        String page = list + "/" + TEMPLATE + "/page?user=" + USER;
        Predicate<String> named = body -> body.contains("\"templateName\":\"" + name + "\"")
                || body.contains("\"name\":\"" + name + "\"");
        cachedEverywhere(list, named);
        cachedEverywhere(page, named);
        call(node(2), "PUT", list + "/" + TEMPLATE + "/name", "{\"name\":\"" + name + "\"}", 200);
        seenOnEveryNode("PUT /services/{sid}/templates/{tid}/name, the list (plain JPA, no annotation)", list,
                named);
        seenOnEveryNode("PUT /services/{sid}/templates/{tid}/name, the page (plain JPA, no annotation)", page,
                named);
    }

    @Test
    @Order(6)
    void viewingAPageCountsOnEveryNodeAtOnce() throws Exception {
        String stats = "templates/" + TEMPLATE + "/stats";
        long before = number(call(node(0), "GET", stats, null, 200), "views");
        for (PayaraMicroProcess node : NODES) {
            assertEquals(before, number(call(node, "GET", stats, null, 200), "views"), node.name());
        }
        call(node(0), "GET", "services/" + SERVICE + "/templates/" + TEMPLATE + "/page?user=" + USER, null, 200);
        // The addition is in the cluster when the view's answer comes: every node counts it on its first read.
        for (PayaraMicroProcess node : NODES) {
            assertEquals(before + 1, number(call(node, "GET", stats, null, 200), "views"), node.name());
        }
        REPORT.add("GET .../page (a page view, counter template-views): counted on the first read of 3 of 3 nodes.");
    }

    /**
     * The object written once per request, changed on three nodes at once: 8 callers per node view the service's
     * three templates as one user, then each node views one of them at the same moment; the user's list holds all
     * three on every node, and the background store persists what the cluster holds.
     */
    @Test
    @Order(7)
    void viewsOfOneUserOnThreeNodesAtOnceLoseNone() throws Exception {
        List<Long> templates = List.of(TEMPLATE, TEMPLATE + 1, TEMPLATE + 2);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(24);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int caller = 0; caller < 24; caller++) {
                PayaraMicroProcess node = node(caller % 3);
                int first = caller;
                done.add(callers.submit(() -> {
                    for (int view = 0; view < 10; view++) {
                        call(node, "GET", page(templates.get((first + view) % 3)), null, 200);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> caller : done) {
                caller.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
            java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(1);
            done.clear();
            for (int i = 0; i < 3; i++) {
                PayaraMicroProcess node = node(i);
                long template = templates.get(i);
                done.add(callers.submit(() -> {
                    together.await();
                    return call(node, "GET", page(template), null, 200);
                }));
            }
            together.countDown();
            for (java.util.concurrent.Future<?> caller : done) {
                caller.get(1, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            callers.shutdownNow();
        }
        Predicate<String> allThree = body -> {
            Matcher ids = Pattern.compile("\"templateIds\":\\[([0-9,]*)]").matcher(body);
            return ids.find() && java.util.Arrays.stream(ids.group(1).split(",")).map(Long::valueOf).toList()
                    .containsAll(templates);
        };
        seenOnEveryNode("three page views of one user at once on three nodes (shared object, one write per request)",
                "users/" + USER + "/recent", allThree);
        for (PayaraMicroProcess node : NODES) {
            assertFalse(node.output().contains("to shared object"), node.name() + " had to keep or lost changes:\n"
                    + node.output());
        }
        String inCluster = call(node(0), "GET", "users/" + USER + "/recent", null, 200);
        String expected = inCluster.substring(inCluster.indexOf('[') + 1, inCluster.indexOf(']'));
        long deadline = System.nanoTime() + LIMIT.toNanos();
        String stored = storedRecentViews(USER);
        while (!expected.equals(stored) && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            stored = storedRecentViews(USER);
        }
        assertEquals(expected, stored, "the database holds what the cluster holds, once the store ran");
        REPORT.add("Recently viewed: the database held the cluster's list of user " + USER + " (" + expected + ")"
                + " within " + LIMIT.toMillis() + " ms of the last view.");
    }

    private static String page(long template) {
        return "services/" + SERVICE + "/templates/" + template + "/page?user=" + USER;
    }

    /** What table {@code EX_RECENT_VIEW} holds for the user, read from the database directly. */
    private static String storedRecentViews(long user) throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(schema.url(), "postgres", "");
             java.sql.PreparedStatement select = connection.prepareStatement(
                     "select template_ids from ex_recent_view where user_id = ?")) {
            select.setLong(1, user);
            try (java.sql.ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /**
     * Reads {@code path} twice on every node, so that each holds it in its near layer, and checks that none
     * answers what only the write is to bring: the check after the write could not pass without it.
     */
    private static void cachedEverywhere(String path, Predicate<String> fresh) throws Exception {
        for (PayaraMicroProcess node : NODES) {
            call(node, "GET", path, null, 200);
            assertFalse(fresh.test(call(node, "GET", path, null, 200)), node.name() + " already answers it: " + path);
        }
    }

    private static void seenOnEveryNode(String write, String path, Predicate<String> fresh) throws Exception {
        seenOnEveryNode(write, path, 200, fresh);
    }

    /**
     * Reads {@code path} on every node right after a write returned, until it answers {@code status} with a fresh
     * body, at most {@link #LIMIT} per node; reports how many first reads were already fresh.
     */
    private static void seenOnEveryNode(String write, String path, int status, Predicate<String> fresh)
            throws Exception {
        long started = System.nanoTime();
        int freshAtOnce = 0;
        long slowest = 0;
        for (PayaraMicroProcess node : NODES) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            boolean first = true;
            while (true) {
                HttpResponse<String> response = send(node, "GET", path, null);
                if (response.statusCode() == status && fresh.test(response.body())) {
                    freshAtOnce += first ? 1 : 0;
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    fail(write + ": " + node.name() + " still answers the old " + path + " " + LIMIT.toMillis()
                            + " ms after the write: " + response.statusCode() + " " + response.body());
                }
                first = false;
                Thread.sleep(10);
            }
            slowest = Math.max(slowest, System.nanoTime() - started);
        }
        REPORT.add(write + ": GET " + path + " fresh on the first read after the write's answer on " + freshAtOnce
                + " of 3 nodes; on all within " + slowest / 1_000_000 + " ms.");
        System.out.println(REPORT.get(REPORT.size() - 1));
    }

    private static PayaraMicroProcess node(int index) {
        return NODES.get(index);
    }

    private static String call(PayaraMicroProcess node, String method, String path, String json, int status)
            throws Exception {
        HttpResponse<String> response = send(node, method, path, json);
        assertEquals(status, response.statusCode(), method + " " + path + " on " + node.name() + ": "
                + response.body());
        return response.body();
    }

    private static HttpResponse<String> send(PayaraMicroProcess node, String method, String path, String json)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/" + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long number(String json, String name) {
        Matcher number = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertTrue(number.find(), name + " in " + json);
        return Long.parseLong(number.group(1));
    }

    private static int random() {
        return ThreadLocalRandom.current().nextInt(1_000_000);
    }
}
