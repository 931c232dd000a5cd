package org.layeredcache.cluster;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.layeredcache.it.TestWars;
import org.layeredcache.testing.PayaraMicroProcess;
import org.layeredcache.testing.PostgresSchema;

import java.io.File;
import java.io.IOException;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three Payara Micro nodes in one Hazelcast cluster on loopback (TCP/IP discovery on 127.0.0.1, a cluster name and
 * ports of this run's own), sharing a PostgreSQL schema that the test prepares. The tests drive the nodes over
 * HTTP, as a load balancer would, and run in order: the last ones freeze a node and kill one. All three nodes are
 * stopped by their PIDs at the end, also when a test fails.
 *
 * <p>What "stale" means here: a write's caller has its answer once the transaction committed and the write's
 * node dropped the entry everywhere it could. On that node, no later read may return an older version. The other
 * nodes hear of the write by a message; they may serve the old version until it arrives (the delay is measured
 * below), and never after: reads that start more than {@link #GRACE} after the write returned must not be older.
 * Figures go to {@code target/cluster-report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    /**
     * How long another node may still serve the old version after a write returned: far above the measured message
     * delay (milliseconds, seconds on a loaded machine), far below the near TTL (30 s) that a lost message costs.
     */
    static final Duration GRACE = Duration.ofSeconds(5);
    /** The near layer's TTL of cache "counters" (the default). */
    static final Duration NEAR_TTL = Duration.ofSeconds(30);
    /** The near layer's TTL of cache "counters-short", which shows what a lost message costs. */
    static final Duration SHORT_NEAR_TTL = Duration.ofSeconds(5);
    static PostgresSchema schema;

    static PayaraMicroProcess nodeA;
    static PayaraMicroProcess nodeB;
    static PayaraMicroProcess nodeC;
    static final List<String> REPORT = Collections.synchronizedList(new ArrayList<>());
    static final AtomicLong IDS = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 40));
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startThreeNodes() throws Exception {
        schema = PostgresSchema.create("cluster_it");
        schema.execute("create table counter (id bigint primary key, version bigint not null)");
        Path war = PayaraMicroProcess.buildDirectory().toPath().resolve("cluster-it.war");
        ShrinkWrap.create(WebArchive.class, "cluster-it.war")
                .addAsLibrary(TestWars.library())
                .addAsLibrary(new File(PayaraMicroProcess.buildDirectory(), "war-libs/caffeine.jar"))
                .addAsLibrary(new File(PayaraMicroProcess.buildDirectory(), "war-libs/postgresql.jar"))
                .addClasses(Counter.class, CounterStore.class, LoadGate.class, ClusterResource.class,
                        ClusterResource.Rest.class)
                .addAsResource("cluster/persistence.xml", "META-INF/persistence.xml")
                .addAsResource(new StringAsset("""
                        cluster.datasource.url=%s
                        layered-cache.cache.counters.cluster.load-lease=3s
                        layered-cache.cache.counters-short.near.ttl=%ds
                        """.formatted(schema.url(), SHORT_NEAR_TTL.toSeconds())), "META-INF/microprofile-config.properties")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml")
                .as(ZipExporter.class).exportTo(war.toFile(), true);

        String cluster = System.getProperty("test.clusterName", "layered-cache-it") + "-three-nodes";
        int startPort = PayaraMicroProcess.freePort();
        List<String> root = List.of("--contextroot", "/");
        nodeA = PayaraMicroProcess.start("node-a", war, cluster, startPort, root);
        nodeB = PayaraMicroProcess.start("node-b", war, cluster, startPort, root);
        nodeC = PayaraMicroProcess.start("node-c", war, cluster, startPort, root);
        for (PayaraMicroProcess node : List.of(nodeA, nodeB, nodeC)) {
            assertThat(node.awaitReady(Duration.ofMinutes(4))).as("%s started:%n%s", node.name(), node.output())
                    .isTrue();
        }
        for (PayaraMicroProcess node : List.of(nodeA, nodeB, nodeC)) {
            assertThat(node.awaitOutput(Pattern.compile("DG Size: 3"), Duration.ofMinutes(2)))
                    .as("%s sees a cluster of three", node.name()).isTrue();
        }
    }

    @AfterAll
    static void stopNodes() throws Exception {
        try {
            for (PayaraMicroProcess node : new PayaraMicroProcess[] {nodeA, nodeB, nodeC}) {
                if (node != null) {
                    node.close();
                }
            }
        } finally {
            Path report = PayaraMicroProcess.buildDirectory().toPath().resolve("cluster-report.md");
            Files.write(report, REPORT);
            if (schema != null) {
                schema.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aValueLoadedOnOneNodeIsServedByTheOthersFromTheCluster() throws Exception {
        long id = IDS.incrementAndGet();
        increment(nodeA, id);
        long loadsB = loads(nodeB);
        long loadsC = loads(nodeC);
        long hitsB = clusterHits(nodeB, "counters");

        assertThat(read(nodeA, id)).isEqualTo(1);
        assertThat(read(nodeB, id)).isEqualTo(1);
        assertThat(read(nodeC, id)).isEqualTo(1);

        assertThat(loads(nodeB)).as("B did not run the method").isEqualTo(loadsB);
        assertThat(loads(nodeC)).as("C did not run the method").isEqualTo(loadsC);
        assertThat(clusterHits(nodeB, "counters")).as("B's answer came from the cluster").isEqualTo(hitsB + 1);
    }

    @Test
    @Order(2)
    void aCommittedInvalidationReachesTheOtherNodesWithinMilliseconds() throws Exception {
        int trials = 200;
        List<Long> delays = new ArrayList<>();
        List<Long> singleReads = new ArrayList<>();
        int freshAtFirstRead = 0;
        for (int trial = 0; trial < trials; trial++) {
            long id = IDS.incrementAndGet();
            increment(nodeA, id);
            long filled = System.nanoTime();
            long old = read(nodeB, id);
            long started = System.nanoTime();
            assertThat(read(nodeB, id)).isEqualTo(old);                    // B now holds it in its near layer
            singleReads.add(System.nanoTime() - started);
            long version = increment(nodeA, id);
            long written = System.nanoTime();
            // B's near copy cannot have expired before this, so a fresh read before it was the message's doing.
            long nearCopyAlive = filled + NEAR_TTL.toNanos();
            int reads = 1;
            while (read(nodeB, id) < version) {
                reads++;
                assertThat(System.nanoTime()).as("B heard of the write before its near copy could expire")
                        .isLessThan(nearCopyAlive);
            }
            delays.add(System.nanoTime() - written);
            if (reads == 1) {
                freshAtFirstRead++;
            }
        }
        Collections.sort(delays);
        Collections.sort(singleReads);
        String line = "Invalidation delay, from the write's answer on node A until a read on node B answers the new"
                + " version (" + trials + " trials, B polled over HTTP, so each figure includes at least one read):"
                + " p50 " + millis(delays.get(trials / 2)) + " ms, p99 " + millis(delays.get(trials * 99 / 100))
                + " ms, max " + millis(delays.get(trials - 1)) + " ms. One read on B by itself (a near-layer hit)"
                + " takes p50 " + millis(singleReads.get(trials / 2)) + " ms, p99 "
                + millis(singleReads.get(trials * 99 / 100)) + " ms; in " + freshAtFirstRead + " of " + trials
                + " trials the very first read after the write already had the new version.";
        REPORT.add(line);
        System.out.println(line);
    }

    @Test
    @Order(3)
    void aLoadThatOverlapsAnInvalidationPublishesItsOldValueNowhere() throws Exception {
        long id = IDS.incrementAndGet();
        increment(nodeA, id);                                              // version 1, not cached anywhere
        post(nodeB, "gate/" + id);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<Long> slowLoad = reader.submit(() -> read(nodeB, id));  // B loads version 1, then waits
            assertThat(get(nodeB, "gate/paused")).isEqualTo("paused");
            assertThat(increment(nodeA, id)).isEqualTo(2);                 // committed and invalidated meanwhile
            post(nodeB, "gate/release");

            assertThat(slowLoad.get(30, TimeUnit.SECONDS)).as("its own caller gets what it read").isEqualTo(1);
            assertThat(read(nodeB, id)).as("B's layers").isEqualTo(2);
            assertThat(read(nodeC, id)).as("the cluster layer").isEqualTo(2);
            assertThat(read(nodeA, id)).isEqualTo(2);
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void underConcurrentReadersAndWritersNoReadIsStaleAfterTheWriteReachedItsNode() throws Exception {
        Duration run = Duration.ofSeconds(15);
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(IDS.incrementAndGet());
        }
        List<PayaraMicroProcess> nodes = List.of(nodeA, nodeB, nodeC);
        List<Write> writes = Collections.synchronizedList(new ArrayList<>());
        List<Read> reads = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + run.toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                work.add(threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        long key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                        int node = ThreadLocalRandom.current().nextInt(nodes.size());
                        long version = increment(nodes.get(node), key);
                        writes.add(new Write(key, node, version, System.nanoTime()));
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 6; r++) {
                work.add(threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        long key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                        int node = ThreadLocalRandom.current().nextInt(nodes.size());
                        long started = System.nanoTime();
                        long version = read(nodes.get(node), key);
                        reads.add(new Read(key, node, version, started));
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }

        long staleOnWritingNode = 0;
        long staleElsewhere = 0;
        long lateButWithinGrace = 0;
        for (Read read : reads) {
            for (Write write : writes) {
                if (write.key != read.key || read.version >= write.version || read.started <= write.returned) {
                    continue;
                }
                if (read.node == write.node) {
                    staleOnWritingNode++;
                } else if (read.started - write.returned > GRACE.toNanos()) {
                    staleElsewhere++;
                } else {
                    lateButWithinGrace++;
                }
            }
        }
        Map<Long, Long> finalVersions = new ConcurrentHashMap<>();
        for (Write write : writes) {
            finalVersions.merge(write.key, write.version, Math::max);
        }
        long lastWrite = System.nanoTime();
        long notConverged = 0;
        for (long key : keys) {
            for (PayaraMicroProcess node : nodes) {
                long expected = finalVersions.getOrDefault(key, 0L);
                if (!eventually(lastWrite + GRACE.toNanos(), () -> read(node, key) == expected)) {
                    notConverged++;
                }
            }
        }
        String line = "Stress, " + run.toSeconds() + " s on 3 nodes, 8 keys: " + writes.size() + " writes, "
                + reads.size() + " reads; reads older than a write that had returned: on the writing node "
                + staleOnWritingNode + ", on another node more than " + GRACE.toMillis() + " ms after the write "
                + staleElsewhere + ", within those " + GRACE.toMillis() + " ms (the message in flight) "
                + lateButWithinGrace + "; keys not converged on every node " + GRACE.toMillis()
                + " ms after the last write: "
                + notConverged + ".";
        REPORT.add(line);
        System.out.println(line);
        assertThat(writes).hasSizeGreaterThan(50);
        assertThat(staleOnWritingNode).isZero();
        assertThat(staleElsewhere).isZero();
        assertThat(notConverged).isZero();
    }

    @Test
    @Order(5)
    void aLostInvalidationMessageLeavesANodeStaleForAtMostItsNearTtl() throws Exception {
        long id = IDS.incrementAndGet();
        increment(nodeA, id);
        long filling = System.nanoTime();                                   // the near copy is made after this
        assertThat(readShortLived(nodeB, id)).isEqualTo(1);                 // in B's near layer, for 5 s at most
        long filled = System.nanoTime();                                    // and before this
        assertThat(post(nodeA, "counters-short/" + id + "/increment-losing-the-message")).isEqualTo("2");
        long written = System.nanoTime();

        long seenByB = readShortLived(nodeB, id);
        if (System.nanoTime() - filling < SHORT_NEAR_TTL.toNanos()) {       // B's near copy cannot have expired yet
            assertThat(seenByB).as("B never heard of the write").isEqualTo(1);
        }
        assertThat(readShortLived(nodeC, id)).as("a node without a near copy reads the new row").isEqualTo(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            long started = System.nanoTime();
            if (readShortLived(nodeB, id) == 2) {
                break;
            }
            assertThat(Duration.ofNanos(started - filled)).as("a read that starts after the near TTL is fresh")
                    .isLessThan(SHORT_NEAR_TTL);
            assertThat(started).isLessThan(deadline);
            Thread.sleep(50);
        }
        REPORT.add("A lost invalidation message: node B served the old version for "
                + millis(System.nanoTime() - written) + " ms with near.ttl = " + SHORT_NEAR_TTL.toSeconds() + "s.");
    }

    @Test
    @Order(6)
    void whileANodeIsFrozenTheOthersAnswerEveryCallAndCachingRecoversAfterwards() throws Exception {
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long id = IDS.incrementAndGet();
            keys.add(id);
            increment(nodeA, id);
            read(nodeA, id);
            read(nodeC, id);
        }
        signal(nodeC, "-STOP");
        long slowest = 0;
        int calls = 0;
        try {
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < end) {
                for (long id : keys) {
                    PayaraMicroProcess node = calls % 2 == 0 ? nodeA : nodeB;
                    long started = System.nanoTime();
                    long version = calls % 5 == 0 ? increment(node, id) : read(node, id);
                    assertThat(read(node, id)).as("read your own write on %s", node.name())
                            .isGreaterThanOrEqualTo(version);
                    slowest = Math.max(slowest, System.nanoTime() - started);
                    calls++;
                }
            }
        } finally {
            signal(nodeC, "-CONT");
        }
        REPORT.add("Node C frozen for 8 s: " + calls + " calls on A and B all answered, the slowest in "
                + millis(slowest) + " ms (cluster timeout 500 ms).");
        assertThat(slowest).as("no call hung on the frozen member (the HTTP timeout is 30 s)")
                .isLessThan(Duration.ofSeconds(10).toNanos());

        long id = IDS.incrementAndGet();
        increment(nodeA, id);
        read(nodeA, id);
        long loadsB = loads(nodeB);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {                                                     // retry-after is 2 s
            long probe = IDS.incrementAndGet();
            increment(nodeA, probe);
            read(nodeA, probe);
            long before = loads(nodeB);
            read(nodeB, probe);
            if (loads(nodeB) == before) {
                break;                                                     // B got it from the cluster again
            }
            assertThat(System.nanoTime()).as("caching through the cluster recovered").isLessThan(deadline);
            Thread.sleep(500);
        }
        for (long key : keys) {
            long expected = read(nodeA, key);
            for (PayaraMicroProcess node : List.of(nodeB, nodeC)) {
                long converged = System.nanoTime() + Duration.ofSeconds(35).toNanos();
                while (read(node, key) != expected) {
                    assertThat(System.nanoTime()).as("%s converged after the outage", node.name())
                            .isLessThan(converged);
                    Thread.sleep(200);
                }
            }
        }
        assertThat(loads(nodeB)).isGreaterThanOrEqualTo(loadsB);
    }

    @Test
    @Order(7)
    void killingANodeUnderLoadCostsTheOthersNoErrorsAndLocksNothing() throws Exception {
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long id = IDS.incrementAndGet();
            keys.add(id);
            increment(nodeA, id);
            read(nodeC, id);                                               // loaded by C, published to the cluster
        }
        AtomicLong errors = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        AtomicLong slowest = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(16).toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                PayaraMicroProcess node = t % 2 == 0 ? nodeA : nodeB;
                work.add(threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        long key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                        long started = System.nanoTime();
                        try {
                            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                                increment(node, key);
                            } else {
                                read(node, key);
                            }
                        } catch (Exception | AssertionError e) {
                            errors.incrementAndGet();
                        }
                        slowest.accumulateAndGet(System.nanoTime() - started, Math::max);
                        calls.incrementAndGet();
                    }
                    return null;
                }));
            }
            Thread.sleep(4_000);
            long killed = nodeC.pid();
            int twoMemberViews = count(nodeA.output(), "DG Size: 2");
            nodeC.kill();
            REPORT.add("Node C (PID " + killed + ") killed under load on A and B.");
            for (Future<?> future : work) {
                future.get(2, TimeUnit.MINUTES);
            }
            assertThat(nodeA.awaitOutput(Pattern.compile("(?s)(.*DG Size: 2){" + (twoMemberViews + 1) + "}"),
                    Duration.ofMinutes(2))).as("the cluster noticed that C is gone").isTrue();
        } finally {
            threads.shutdownNow();
        }
        REPORT.add("Killing node C: " + calls.get() + " calls on A and B, " + errors.get() + " errors, the slowest in "
                + millis(slowest.get()) + " ms.");
        assertThat(errors.get()).isZero();
        assertThat(slowest.get()).isLessThan(Duration.ofSeconds(10).toNanos());

        long loadsBefore = loads(nodeA);
        long settled = System.nanoTime() + GRACE.toNanos();
        for (long key : keys) {
            assertThat(eventually(settled, () -> read(nodeA, key) == read(nodeB, key)))
                    .as("key %s reads the same on both survivors", key).isTrue();
        }
        REPORT.add("After the kill, node A reloaded " + (loads(nodeA) - loadsBefore) + " of " + keys.size()
                + " keys (entries that lived on C, whose near copies A did not hold).");

        for (long key : keys) {                                            // claims left by C expire in 3 s
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                long version = increment(nodeA, key);
                assertThat(read(nodeA, key)).isEqualTo(version);
                long before = loads(nodeB);
                assertThat(read(nodeB, key)).isEqualTo(version);
                if (loads(nodeB) == before) {
                    break;                                                 // B got it from the cluster
                }
                assertThat(System.nanoTime()).as("key %s can be cached through the cluster again", key)
                        .isLessThan(deadline);
                Thread.sleep(250);
            }
        }
    }

    /** Checks {@code condition} until it holds or the deadline ({@link System#nanoTime()}) has passed. */
    private static boolean eventually(long deadline, Check condition) throws Exception {
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    // ---------------------------------------------------------------------------------------------------------

    record Write(long key, int node, long version, long returned) {
    }

    record Read(long key, int node, long version, long started) {
    }

    static long read(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(get(node, "counters/" + id));
    }

    static long readShortLived(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(get(node, "counters-short/" + id));
    }

    static long increment(PayaraMicroProcess node, long id) throws Exception {
        return Long.parseLong(post(node, "counters/" + id + "/increment"));
    }

    static long loads(PayaraMicroProcess node) throws Exception {
        Matcher matcher = Pattern.compile("^loads=(\\d+)").matcher(get(node, "statistics"));
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    static long clusterHits(PayaraMicroProcess node, String cache) throws Exception {
        Matcher matcher = Pattern.compile("^" + cache + " .*cluster=(\\d+)", Pattern.MULTILINE)
                .matcher(get(node, "statistics"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    static String get(PayaraMicroProcess node, String path) throws Exception {
        return send(node, HttpRequest.newBuilder(URI.create(node.baseUrl() + "/" + path)).GET());
    }

    static String post(PayaraMicroProcess node, String path) throws Exception {
        return send(node, HttpRequest.newBuilder(URI.create(node.baseUrl() + "/" + path))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static String send(PayaraMicroProcess node, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", node.name(), response.uri(), response.body())
                .isEqualTo(200);
        return response.body().trim();
    }

    private static void signal(PayaraMicroProcess node, String signal) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", signal, String.valueOf(node.pid())).inheritIO().start().waitFor())
                .isZero();
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
