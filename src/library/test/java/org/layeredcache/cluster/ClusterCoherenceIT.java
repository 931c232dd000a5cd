package org.layeredcache.cluster;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.PayaraMicroProcess;

import java.time.Duration;
import java.util.regex.Pattern;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.cluster.NodeCalls.clusterHits;
import static org.layeredcache.cluster.NodeCalls.eventually;
import static org.layeredcache.cluster.NodeCalls.get;
import static org.layeredcache.cluster.NodeCalls.increment;
import static org.layeredcache.cluster.NodeCalls.incrementPlainly;
import static org.layeredcache.cluster.NodeCalls.incrementStandard;
import static org.layeredcache.cluster.NodeCalls.incrementTagged;
import static org.layeredcache.cluster.NodeCalls.loads;
import static org.layeredcache.cluster.NodeCalls.lostDrops;
import static org.layeredcache.cluster.NodeCalls.millis;
import static org.layeredcache.cluster.NodeCalls.post;
import static org.layeredcache.cluster.NodeCalls.read;
import static org.layeredcache.cluster.NodeCalls.readShortLived;
import static org.layeredcache.cluster.NodeCalls.readStandard;
import static org.layeredcache.cluster.NodeCalls.readTagged;
import static org.layeredcache.cluster.NodeCalls.readTracked;
import static org.layeredcache.cluster.NodeCalls.received;
import static org.layeredcache.cluster.NodeCalls.status;
import static org.layeredcache.cluster.NodeCalls.waits;

/**
 * Coherence of three nodes ({@link ThreeNodes}), driven over HTTP as a load balancer would: values travel through
 * the cluster, invalidations reach every node, a load that overlaps an invalidation publishes nothing, and under
 * concurrent readers and writers no read is stale once the write reached its node.
 *
 * <p>What "stale" means here: a write's caller has its answer once the transaction committed and the write's
 * node dropped the entry everywhere it could. On that node, no later read may return an older version. The other
 * nodes hear of the write by a message; they may serve the old version until it arrives (the delay is measured
 * below), and never after: reads that start more than {@link #GRACE} after the write returned must not be older.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCoherenceIT {

    /**
     * How long another node may still serve the old version after a write returned: far above the measured message
     * delay (milliseconds, seconds on a loaded machine), far below the near TTL (30 s) that a lost message costs.
     */
    static final Duration GRACE = Duration.ofSeconds(5);
    /** The near layer's TTL of cache "counters" (the default). */
    static final Duration NEAR_TTL = Duration.ofSeconds(30);
    static final Duration SHORT_NEAR_TTL = ThreeNodes.SHORT_NEAR_TTL;

    @RegisterExtension
    static final ThreeNodes NODES = new ThreeNodes("layered-cache.admin.enabled=true\n"
            + "layered-cache.cache.counter-views.preload.on-start=true\n");

    @Test
    @Order(1)
    void aValueLoadedOnOneNodeIsServedByTheOthersFromTheCluster() throws Exception {
        long id = NODES.newId();
        increment(NODES.a(), id);
        long loadsB = loads(NODES.b());
        long loadsC = loads(NODES.c());
        long hitsB = clusterHits(NODES.b(), "counters");

        assertThat(read(NODES.a(), id)).isEqualTo(1);
        assertThat(read(NODES.b(), id)).isEqualTo(1);
        assertThat(read(NODES.c(), id)).isEqualTo(1);

        assertThat(loads(NODES.b())).as("B did not run the method").isEqualTo(loadsB);
        assertThat(loads(NODES.c())).as("C did not run the method").isEqualTo(loadsC);
        assertThat(clusterHits(NODES.b(), "counters")).as("B's answer came from the cluster").isEqualTo(hitsB + 1);
    }

    @Test
    @Order(2)
    void aCommittedInvalidationReachesTheOtherNodesWithinMilliseconds() throws Exception {
        int trials = 200;
        List<Long> delays = new ArrayList<>();
        List<Long> singleReads = new ArrayList<>();
        int freshAtFirstRead = 0;
        for (int trial = 0; trial < trials; trial++) {
            long id = NODES.newId();
            increment(NODES.a(), id);
            long filled = System.nanoTime();
            long old = read(NODES.b(), id);
            long started = System.nanoTime();
            assertThat(read(NODES.b(), id)).isEqualTo(old);                    // B now holds it in its near layer
            singleReads.add(System.nanoTime() - started);
            long version = increment(NODES.a(), id);
            long written = System.nanoTime();
            // B's near copy cannot have expired before this, so a fresh read before it was the message's doing.
            long nearCopyAlive = filled + NEAR_TTL.toNanos();
            int reads = 1;
            while (read(NODES.b(), id) < version) {
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
        NODES.report(line);
    }

    @Test
    @Order(3)
    void aLoadThatOverlapsAnInvalidationPublishesItsOldValueNowhere() throws Exception {
        long id = NODES.newId();
        increment(NODES.a(), id);                                              // version 1, not cached anywhere
        post(NODES.b(), "gate/" + id);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<Long> slowLoad = reader.submit(() -> read(NODES.b(), id));  // B loads version 1, then waits
            assertThat(get(NODES.b(), "gate/paused")).isEqualTo("paused");
            assertThat(increment(NODES.a(), id)).isEqualTo(2);                 // committed and invalidated meanwhile
            post(NODES.b(), "gate/release");

            assertThat(slowLoad.get(30, TimeUnit.SECONDS)).as("its own caller gets what it read").isEqualTo(1);
            assertThat(read(NODES.b(), id)).as("B's layers").isEqualTo(2);
            assertThat(read(NODES.c(), id)).as("the cluster layer").isEqualTo(2);
            assertThat(read(NODES.a(), id)).isEqualTo(2);
        } finally {
            reader.shutdownNow();
        }
    }

    /**
     * Single flight across the cluster: while node A loads a key (held at the gate, its claim in the cluster), the
     * other nodes' readers of that key wait for A's value instead of loading it too.
     */
    @Test
    @Order(4)
    void whileOneNodeLoadsAKeyTheOtherNodesWaitForItsValue() throws Exception {
        long id = NODES.newId();
        increment(NODES.a(), id);
        long loadsBefore = loads(NODES.a()) + loads(NODES.b()) + loads(NODES.c());
        post(NODES.a(), "gate/" + id);
        ExecutorService readers = Executors.newFixedThreadPool(7);
        try {
            Future<Long> loader = readers.submit(() -> read(NODES.a(), id));
            assertThat(get(NODES.a(), "gate/paused")).isEqualTo("paused");
            long waitsB = waits(NODES.b(), "counters");
            long waitsC = waits(NODES.c(), "counters");
            List<Future<Long>> waiters = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                PayaraMicroProcess node = i % 2 == 0 ? NODES.b() : NODES.c();
                waiters.add(readers.submit(() -> read(node, id)));
            }
            long reached = System.nanoTime() + Duration.ofSeconds(4).toNanos();   // load.wait is 5 s
            assertThat(eventually(reached, () -> waits(NODES.b(), "counters") >= waitsB + 3
                    && waits(NODES.c(), "counters") >= waitsC + 3))
                    .as("the readers on B and C wait (for A's claim, or for the one of them that does)").isTrue();
            long loadsWhileHeld = loads(NODES.b()) + loads(NODES.c());
            post(NODES.a(), "gate/release");

            assertThat(loader.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            for (Future<Long> waiter : waiters) {
                assertThat(waiter.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
            long loadsAfter = loads(NODES.a()) + loads(NODES.b()) + loads(NODES.c());
            NODES.report("Single flight across the cluster: 1 reader held on A, 6 on B and C; loads in the cluster: "
                    + (loadsAfter - loadsBefore) + ".");
            assertThat(loadsAfter - loadsBefore).as("one load in the cluster").isEqualTo(1);
            assertThat(loadsWhileHeld).isEqualTo(loads(NODES.b()) + loads(NODES.c()));
        } finally {
            post(NODES.a(), "gate/release");
            readers.shutdownNow();
        }
    }

    /**
     * A bean cached with the JSR-107 annotations only: while node A loads a key, the readers on B and C wait for
     * its value (one load in the cluster); a committed {@code @CacheRemove} on B reaches every node.
     */
    @Test
    @Order(4)
    void theStandardAnnotationsLoadOnceInTheClusterAndRemoveOnEveryNodeAfterTheCommit() throws Exception {
        long id = NODES.newId();
        incrementStandard(NODES.a(), id);
        long loadsBefore = loads(NODES.a()) + loads(NODES.b()) + loads(NODES.c());
        post(NODES.a(), "gate/" + id);
        ExecutorService readers = Executors.newFixedThreadPool(5);
        try {
            Future<Long> loader = readers.submit(() -> readStandard(NODES.a(), id));
            assertThat(get(NODES.a(), "gate/paused")).isEqualTo("paused");
            long waitsB = waits(NODES.b(), "standard-counters");
            long waitsC = waits(NODES.c(), "standard-counters");
            List<Future<Long>> waiters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                PayaraMicroProcess node = i % 2 == 0 ? NODES.b() : NODES.c();
                waiters.add(readers.submit(() -> readStandard(node, id)));
            }
            long reached = System.nanoTime() + Duration.ofSeconds(4).toNanos();   // load.wait is 5 s
            assertThat(eventually(reached, () -> waits(NODES.b(), "standard-counters") >= waitsB + 2
                    && waits(NODES.c(), "standard-counters") >= waitsC + 2)).isTrue();
            post(NODES.a(), "gate/release");
            assertThat(loader.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            for (Future<Long> waiter : waiters) {
                assertThat(waiter.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
            assertThat(loads(NODES.a()) + loads(NODES.b()) + loads(NODES.c()) - loadsBefore)
                    .as("one load in the cluster").isEqualTo(1);
        } finally {
            post(NODES.a(), "gate/release");
            readers.shutdownNow();
        }

        assertThat(readStandard(NODES.c(), id)).isEqualTo(1);
        assertThat(incrementStandard(NODES.b(), id)).isEqualTo(2);
        assertThat(readStandard(NODES.b(), id)).as("on the writing node at once").isEqualTo(2);
        long deadline = System.nanoTime() + GRACE.toNanos();
        assertThat(eventually(deadline, () -> readStandard(NODES.a(), id) == 2 && readStandard(NODES.c(), id) == 2))
                .as("on the others once the message arrived").isTrue();
    }

    @Test
    @Order(5)
    void underConcurrentReadersAndWritersNoReadIsStaleAfterTheWriteReachedItsNode() throws Exception {
        Duration run = Duration.ofSeconds(15);
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(NODES.newId());
        }
        List<PayaraMicroProcess> nodes = NODES.all();
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
        NODES.report(line);
        assertThat(writes).hasSizeGreaterThan(50);
        assertThat(staleOnWritingNode).isZero();
        assertThat(staleElsewhere).isZero();
        assertThat(notConverged).isZero();
    }

    /**
     * A tag invalidated on one node: the entries carrying it are dropped there at once and on the two others once
     * the message arrived, in the near layers and the cluster layer alike.
     */
    @Test
    @Order(6)
    void aTagInvalidatedOnOneNodeDropsItsEntriesOnEveryNode() throws Exception {
        long id = NODES.newId();
        incrementTagged(NODES.a(), id);
        for (PayaraMicroProcess node : NODES.all()) {
            assertThat(readTagged(node, id)).isEqualTo(1);                     // near on every node, and in the cluster
        }
        assertThat(incrementTagged(NODES.b(), id)).isEqualTo(2);
        assertThat(readTagged(NODES.b(), id)).as("the writing node, at once").isEqualTo(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (PayaraMicroProcess node : List.of(NODES.a(), NODES.c())) {
            assertThat(eventually(deadline, () -> readTagged(node, id) == 2))
                    .as("%s heard of the tag's invalidation", node.name()).isTrue();
        }
    }

    /**
     * A change made through plain JPA on node A, with no annotation: the entries built from that entity are
     * dropped on A at once and on B and C once the message arrived.
     */
    @Test
    @Order(6)
    void aPlainJpaChangeOnOneNodeIsSeenFreshOnEveryNode() throws Exception {
        long id = NODES.newId();
        incrementPlainly(NODES.a(), id);
        for (PayaraMicroProcess node : NODES.all()) {
            assertThat(readTracked(node, id)).isEqualTo(1);
        }
        assertThat(incrementPlainly(NODES.a(), id)).isEqualTo(2);
        assertThat(readTracked(NODES.a(), id)).as("the writing node, at once").isEqualTo(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (PayaraMicroProcess node : List.of(NODES.b(), NODES.c())) {
            assertThat(eventually(deadline, () -> readTracked(node, id) == 2))
                    .as("%s heard of the entity's change", node.name()).isTrue();
        }
    }

    /**
     * A change JPA does not see (native SQL) leaves the entries built from the entity; the admin resource's drop of
     * the entity type, on one node, drops them on every node.
     */
    @Test
    @Order(6)
    void anEntityTypeDroppedThroughTheAdminResourceIsReloadedOnEveryNode() throws Exception {
        long id = NODES.newId();
        incrementPlainly(NODES.a(), id);
        for (PayaraMicroProcess node : NODES.all()) {
            assertThat(readTracked(node, id)).isEqualTo(1);
        }
        assertThat(post(NODES.a(), "tracked-counters/" + id + "/increment-in-bulk")).isEqualTo("2");
        assertThat(readTracked(NODES.a(), id)).as("native SQL is not seen: still the cached entry").isEqualTo(1);

        admin(NODES.b(), "DELETE", "layered-cache/entities/" + Counter.class.getName());

        assertThat(readTracked(NODES.b(), id)).as("the node that dropped the type, at once").isEqualTo(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (PayaraMicroProcess node : List.of(NODES.a(), NODES.c())) {
            assertThat(eventually(deadline, () -> readTracked(node, id) == 2))
                    .as("%s dropped the entries of the type", node.name()).isTrue();
        }
    }

    /** As for keys: a load that overlaps a tag's invalidation publishes its old value nowhere. */
    @Test
    @Order(6)
    void aLoadThatOverlapsATagsInvalidationPublishesItsOldValueNowhere() throws Exception {
        long id = NODES.newId();
        incrementTagged(NODES.a(), id);                                        // version 1, not cached anywhere
        post(NODES.b(), "gate/" + id);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<Long> slowLoad = reader.submit(() -> readTagged(NODES.b(), id));  // B loads 1, then waits
            assertThat(get(NODES.b(), "gate/paused")).isEqualTo("paused");
            assertThat(incrementTagged(NODES.a(), id)).isEqualTo(2);           // committed and invalidated meanwhile
            post(NODES.b(), "gate/release");

            assertThat(slowLoad.get(30, TimeUnit.SECONDS)).as("its own caller gets what it read").isEqualTo(1);
            assertThat(readTagged(NODES.c(), id)).as("the cluster layer").isEqualTo(2);
            assertThat(readTagged(NODES.a(), id)).isEqualTo(2);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            assertThat(eventually(deadline, () -> readTagged(NODES.b(), id) == 2)).as("B's layers").isTrue();
        } finally {
            reader.shutdownNow();
        }
    }

    /** The admin resource on one node sums every node's figures, which each node shares in the cluster. */
    @Test
    @Order(7)
    void theAdminResourceSumsTheFiguresOfEveryNode() throws Exception {
        long id = NODES.newId();
        increment(NODES.a(), id);
        for (PayaraMicroProcess node : NODES.all()) {
            read(node, id);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String[] caches = new String[1];
        boolean summed = eventually(deadline, () -> {           // each node shares its figures every 5 s
            long perNode = 0;
            for (PayaraMicroProcess node : NODES.all()) {           // each node's own statistics
                java.util.regex.Matcher own = java.util.regex.Pattern.compile("(?m)^counters .* loads=(\\d+)")
                        .matcher(get(node, "statistics"));
                assertThat(own.find()).isTrue();
                perNode += Long.parseLong(own.group(1));
            }
            caches[0] = admin(NODES.a(), "layered-cache/caches");
            return caches[0].contains("\"nodes\":3")
                    && figure(caches[0], "\"counters\":{\"cluster\":{", "loads") == perNode;
        });
        assertThat(summed).as("the summed figures of three nodes: %s", caches[0]).isTrue();
        NODES.report("Admin resource on node A: " + caches[0].length() + " characters of figures from 3 nodes.");
        assertThat(caches[0]).contains("\"nodes\":{\"");
    }

    /** A background task started on one node: every node reads its status from the cluster. */
    @Test
    @Order(8)
    void everyNodeTellsTheStatusOfATaskStartedOnAnother() throws Exception {
        String scope = "status-" + NODES.newId();
        String id = post(NODES.a(), "tasks/" + scope + "?millis=1500");
        assertThat(get(NODES.b(), "tasks/" + id)).isIn("queued", "running");
        assertThat(status(NODES.c(), "POST", "tasks/" + scope + "?millis=1")).as("the same scope on another node")
                .isEqualTo(409);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        assertThat(eventually(deadline, () -> get(NODES.c(), "tasks/" + id).equals("succeeded"))).isTrue();
    }

    /** The admin resource on one node tells in which node's near layer a key is, and whether the cluster has it. */
    @Test
    @Order(9)
    void theAdminResourceTellsWhereAKeyIsOnEveryNode() throws Exception {
        long id = NODES.newId();
        increment(NODES.a(), id);
        read(NODES.a(), id);                                   // loaded on A: near on A, and in the cluster
        read(NODES.b(), id);                                   // a cluster hit on B: near on B too
        String where = admin(NODES.c(), "layered-cache/caches/counters/keys/counter-" + id);
        NODES.report("Where counter-" + id + " is, asked on C: " + where);
        assertThat(where).contains("\"cluster\":\"present\"", "\"unanswered\":[]");
        String nodes = where.substring(where.indexOf("\"nodes\":{"));
        assertThat(nodes.split("\"near\":\"present\"", -1)).as("A and B: %s", nodes).hasSize(3);
        assertThat(nodes.split("\"near\":\"absent\"", -1)).as("C: %s", nodes).hasSize(2);
        assertThat(nodes.split("\"nearAgeMillis\":", -1)).hasSize(3);
    }

    /** A preload configured to run at start-up runs on one node of the cluster; the others find its mark. */
    @Test
    @Order(10)
    void aStartUpPreloadRunsOnOneNodeOnly() throws Exception {
        Pattern ran = Pattern.compile("Cache 'counter-views': start-up preload runs on this node");
        Pattern skipped = Pattern.compile("Cache 'counter-views': preloaded at start-up by node");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        assertThat(eventually(deadline, () -> NODES.all().stream()
                .filter(node -> ran.matcher(node.output()).find() || skipped.matcher(node.output()).find())
                .count() == 3)).as("every node decided").isTrue();
        long running = NODES.all().stream().filter(node -> ran.matcher(node.output()).find()).count();
        NODES.report("Start-up preload of counter-views: ran on " + running + " of 3 nodes.");
        assertThat(running).isEqualTo(1);
    }

    /** One counter that follows {@code after} in the admin resource's JSON. */
    private static long figure(String json, String after, String counter) {
        int from = json.indexOf(after);
        assertThat(from).as("%s in %s", after, json).isNotNegative();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"" + counter + "\":(\\d+)")
                .matcher(json.substring(from));
        assertThat(matcher.find()).as("%s in %s", counter, json).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static String admin(PayaraMicroProcess node, String path) throws Exception {
        return admin(node, "GET", path);
    }

    private static String admin(PayaraMicroProcess node, String method, String path) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/" + path))
                        .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                (AdminUsers.USER + ":" + AdminUsers.PASSWORD).getBytes(
                                        java.nio.charset.StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(30)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    @Order(6)
    void aLostInvalidationMessageLeavesANodeStaleForAtMostItsNearTtl() throws Exception {
        long id = NODES.newId();
        long heard = received(NODES.b(), "counters-short");
        increment(NODES.a(), id);
        // The increment's own message must reach B first: arriving during B's read below, it would (rightly) keep
        // that read's value out of B's near layer, and B would have no old copy to serve.
        assertThat(eventually(System.nanoTime() + Duration.ofSeconds(10).toNanos(),
                () -> received(NODES.b(), "counters-short") > heard)).as("B heard of the increment").isTrue();
        long filling = System.nanoTime();                                   // the near copy is made after this
        assertThat(readShortLived(NODES.b(), id)).isEqualTo(1);                 // in B's near layer, for 5 s at most
        long filled = System.nanoTime();                                    // and before this
        assertThat(post(NODES.a(), "counters-short/" + id + "/increment-losing-the-message")).isEqualTo("2");
        long written = System.nanoTime();

        long seenByB = readShortLived(NODES.b(), id);
        if (System.nanoTime() - filling < SHORT_NEAR_TTL.toNanos()) {       // B's near copy cannot have expired yet
            assertThat(seenByB).as("B never heard of the write").isEqualTo(1);
        }
        assertThat(readShortLived(NODES.c(), id)).as("a node without a near copy reads the new row").isEqualTo(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            long started = System.nanoTime();
            if (readShortLived(NODES.b(), id) == 2) {
                break;
            }
            assertThat(Duration.ofNanos(started - filled)).as("a read that starts after the near TTL is fresh")
                    .isLessThan(SHORT_NEAR_TTL);
            assertThat(started).isLessThan(deadline);
            Thread.sleep(50);
        }
        NODES.report("A lost invalidation message: node B served the old version for "
                + millis(System.nanoTime() - written) + " ms with near.ttl = " + SHORT_NEAR_TTL.toSeconds() + "s.");
    }

    /**
     * A message lost on its way to one node, at the end of a quiet period: the sender's next heartbeat (every
     * second) names it, and that node drops its near layers; stale for about a second instead of the near TTL.
     */
    @Test
    @Order(6)
    void aLostInvalidationMessageIsNoticedByTheSendersNextHeartbeat() throws Exception {
        long id = NODES.newId();
        increment(NODES.a(), id);
        long old = read(NODES.b(), id);
        assertThat(read(NODES.b(), id)).isEqualTo(old);                        // in B's near layer, for 30 s
        long filled = System.nanoTime();
        long dropsBefore = lostDrops(NODES.b(), "counters");
        assertThat(post(NODES.b(), "invalidations/lose/1")).isEqualTo("true");
        long version = Long.parseLong(post(NODES.a(), "counters/" + id + "/increment-natively"));
        long written = System.nanoTime();                                      // its one message never reached B
        while (read(NODES.b(), id) < version) {
            assertThat(System.nanoTime()).as("B noticed the loss before its near copy could expire")
                    .isLessThan(filled + NEAR_TTL.toNanos());
            Thread.sleep(20);
        }
        long stale = System.nanoTime() - written;
        assertThat(lostDrops(NODES.b(), "counters")).as("counted").isGreaterThan(dropsBefore);
        NODES.report("A lost invalidation message, noticed by the sender's heartbeat (every 1 s): node B served the"
                + " old version for " + millis(stale) + " ms (near.ttl = " + NEAR_TTL.toSeconds() + "s).");
    }

    /**
     * What the heartbeats cost a quiet cluster: each node publishes one message per period (1 s) on the invalidation
     * topic, which every other member receives; counted by Hazelcast's topic statistics over 10 s without writes.
     */
    @Test
    @Order(11)
    void aQuietNodeSendsOneHeartbeatPerPeriod() throws Exception {
        Duration quiet = Duration.ofSeconds(10);
        long before = Long.parseLong(get(NODES.a(), "invalidations/published"));
        long started = System.nanoTime();
        Thread.sleep(quiet.toMillis());
        long sent = Long.parseLong(get(NODES.a(), "invalidations/published")) - before;
        double perSecond = sent * 1e9 / (System.nanoTime() - started);
        NODES.report(String.format(java.util.Locale.ROOT, "Heartbeats of a quiet node: %d messages on the invalidation"
                + " topic in %.1f s, %.2f per second, each received by the 2 other members; a heartbeat's body is 34"
                + " bytes (sender 16, form 1, kind 1, number 8, start 8).", sent,
                (System.nanoTime() - started) / 1e9, perSecond));
        assertThat(perSecond).as("one per period, give or take the window's edges").isBetween(0.7, 1.3);
    }

    record Write(long key, int node, long version, long returned) {
    }

    record Read(long key, int node, long version, long started) {
    }
}
