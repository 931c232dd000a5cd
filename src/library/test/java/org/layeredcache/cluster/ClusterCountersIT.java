package org.layeredcache.cluster;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.PayaraMicroProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.cluster.NodeCalls.eventually;
import static org.layeredcache.cluster.NodeCalls.get;
import static org.layeredcache.cluster.NodeCalls.post;

/**
 * Counters on three Payara nodes ({@link ThreeNodes}, flushing every 300 ms into PostgreSQL): additions from 32
 * callers per node while three nodes flush at once are persisted once each, also to a counter that does not wait
 * for the cluster; a rollback adds nothing; a flush method that fails
 * twice loses nothing; and killing the flushing node in the middle of a flush (its writes done, its commit not)
 * loses nothing and persists nothing twice. With {@code -Dcounters.full=true} each of those runs the full
 * count, 100,800 additions from 3 nodes with 32 callers each (the build runs fewer).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCountersIT {

    /** How long the database may take to hold every addition once the additions are over. */
    static final Duration SETTLE = Duration.ofSeconds(30);

    @RegisterExtension
    static final ThreeNodes NODES = new ThreeNodes();

    /** Whether to run the full count: 3 nodes x 32 callers x 105 calls of 10 additions. */
    static final boolean FULL = Boolean.getBoolean("counters.full");

    @Test
    @Order(1)
    void additionsFromThreeNodesWithThirtyTwoCallersEachArePersistedOnceEach() throws Exception {
        long id = NODES.newId();
        int calls = FULL ? 105 : 40;
        int perCall = 10;
        long started = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean adding = new java.util.concurrent.atomic.AtomicBoolean(true);
        ExecutorService extraFlushers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> extra = new ArrayList<>();
        for (PayaraMicroProcess node : NODES.all()) {
            if (!flushingNodes().contains(node)) {          // flushes besides the flushing node's, at the same time
                extra.add(extraFlushers.submit(() -> {
                    int flushes = 0;
                    while (adding.get()) {
                        assertThat(post(node, "tally/flush-now")).isEqualTo("flushed");
                        flushes++;
                    }
                    return flushes;
                }));
            }
        }
        try {
            add(id, NODES.all(), 32, calls, perCall);
        } finally {
            adding.set(false);
            extraFlushers.shutdown();
        }
        for (Future<Integer> flushes : extra) {
            assertThat(flushes.get(1, TimeUnit.MINUTES)).as("flushes of a node that does not flush by schedule")
                    .isPositive();
        }
        long expected = 3L * 32 * calls * perCall;
        NODES.report("Counters: " + expected + " additions from 3 nodes x 32 callers (" + perCall + " per call) in "
                + NodeCalls.millis(System.nanoTime() - started) + " ms, flushed every 300 ms by one node and"
                + " continuously by the two others meanwhile.");
        assertThat(persistedEventually(id, expected)).as("the database holds every addition once").isEqualTo(expected);
        for (PayaraMicroProcess node : NODES.all()) {
            assertThat(Long.parseLong(get(node, "tally/" + id))).as("read on %s", node.name()).isEqualTo(expected);
            assertThat(Long.parseLong(get(node, "tally/" + id + "/pending"))).isZero();
        }
        assertThat(flushingNodes()).as("one node flushes").hasSize(1);
    }

    @Test
    @Order(2)
    void additionsNotWaitingForTheClusterFromThreeNodesArePersistedOnceEach() throws Exception {
        long id = NODES.newId();
        int callers = FULL ? 32 : 8;
        int calls = FULL ? 105 : 10;
        add(id, NODES.all(), callers, calls, 10, "&held=true");
        long expected = 3L * callers * calls * 10;
        assertThat(persistedEventually(id, expected)).as("the database holds every addition once").isEqualTo(expected);
        for (PayaraMicroProcess node : NODES.all()) {
            assertThat(Long.parseLong(get(node, "tally/held/" + id))).as("read on %s", node.name())
                    .isEqualTo(expected);
        }
        NODES.report("Counters not waiting for the cluster: " + expected + " additions from 3 nodes x " + callers
                + " callers persisted once each.");
    }

    @Test
    @Order(3)
    void aRollbackAddsNothing() throws Exception {
        long id = NODES.newId();
        assertThat(post(NODES.b(), "tally/" + id + "/add?times=5&rollBack=true")).isEqualTo("rolled back");
        assertThat(post(NODES.c(), "tally/" + id + "/add?times=2")).isEqualTo("added");
        assertThat(Long.parseLong(get(NODES.a(), "tally/" + id))).isEqualTo(2);
        assertThat(persistedEventually(id, 2)).isEqualTo(2);
    }

    @Test
    @Order(4)
    void aFlushMethodThatFailsTwiceLosesNothing() throws Exception {
        PayaraMicroProcess flusher = flushingNodes().get(0);
        long failedBefore = figure(flusher, "failed");
        long id = NODES.newId();
        post(flusher, "tally/fail/2");
        int callers = FULL ? 32 : 4;
        int calls = FULL ? 105 : 5;
        add(id, NODES.all(), callers, calls, 10);
        long expected = 3L * callers * calls * 10;
        assertThat(persistedEventually(id, expected)).isEqualTo(expected);
        assertThat(figure(flusher, "failed") - failedBefore).as("failed flushes").isEqualTo(2);
        NODES.report("Counters: with a flush method failing twice, " + expected + " additions from 3 nodes x "
                + callers + " callers persisted once each.");
        assertThat(get(flusher, "tally/status")).contains("lastError=null");
    }

    @Test
    @Order(5)
    void whileAMemberIsFrozenAnAdditionWaitsAtMostTheTimeoutAndIsPersistedAfterwards() throws Exception {
        PayaraMicroProcess flusher = flushingNodes().get(0);
        List<PayaraMicroProcess> others = new ArrayList<>(NODES.all());
        others.remove(flusher);
        PayaraMicroProcess frozen = others.get(0);
        PayaraMicroProcess adder = others.get(1);
        long first = NODES.newId();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {     // 30 entries: some of them live on the frozen member
            ids.add(i == 0 ? first : NODES.newId());
        }
        long notInClusterBefore = figure(adder, "notInCluster");
        NodeCalls.signal(frozen, "-STOP");
        long slowest = 0;
        try {
            for (long id : ids) {
                long started = System.nanoTime();
                assertThat(post(adder, "tally/" + id + "/add?times=1")).isEqualTo("added");
                slowest = Math.max(slowest, System.nanoTime() - started);
            }
        } finally {
            NodeCalls.signal(frozen, "-CONT");
        }
        NODES.report("Counters: with " + frozen.name() + " frozen, the slowest of 30 additions on " + adder.name()
                + " answered in " + NodeCalls.millis(slowest) + " ms (timeout 1 s); "
                + (figure(adder, "notInCluster") - notInClusterBefore) + " were kept on the node for later.");
        assertThat(Duration.ofNanos(slowest)).as("an addition never waits long for a frozen member")
                .isLessThan(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + SETTLE.toNanos();
        eventually(deadline, () -> ids.stream().mapToLong(id -> {
            try {
                return NODES.persisted(id);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }).sum() == ids.size());
        long persisted = 0;
        for (long id : ids) {
            assertThat(NODES.persisted(id)).as("counter %d", id).isEqualTo(1);
            persisted += NODES.persisted(id);
        }
        assertThat(persisted).isEqualTo(ids.size());
    }

    @Test
    @Order(6)
    void killingTheFlushingNodeInTheMiddleOfAFlushLosesNothingAndCountsNothingTwice() throws Exception {
        PayaraMicroProcess flusher = flushingNodes().get(0);
        List<PayaraMicroProcess> survivors = new ArrayList<>(NODES.all());
        survivors.remove(flusher);
        long id = NODES.newId();
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try {
            Future<String> held = holder.submit(() -> post(flusher, "tally/hold"));
            int callers = FULL ? 32 : 8;
            int calls = FULL ? 105 : 10;
            add(id, NODES.all(), callers, calls, 10);             // 2,400 additions (100,800), some held in the flush
            assertThat(held.get(1, TimeUnit.MINUTES)).isEqualTo("held");
            long owned = 0;
            long backups = 0;
            for (PayaraMicroProcess node : NODES.all()) {
                String[] replicas = get(node, "tally/replicas").split(" ");
                owned += Long.parseLong(replicas[0]);
                backups += Long.parseLong(replicas[1]);
            }
            NODES.report("Counters: before the kill the cluster held " + owned + " entries and " + backups
                    + " backups of them.");
            assertThat(backups).as("each entry has a backup on another member").isEqualTo(owned);
            long killedAt = System.nanoTime();
            flusher.kill();
            NODES.report("Counters: the flushing node " + flusher.name() + " killed while a flush held its writes"
                    + " uncommitted.");
            long more = 0;
            for (PayaraMicroProcess node : survivors) {
                post(node, "tally/" + id + "/add?times=50");        // additions go on meanwhile
                more += 50;
            }
            long expected = 3L * callers * calls * 10 + more;
            assertThat(persistedEventually(id, expected)).isEqualTo(expected);
            NODES.report("Counters: after the kill, a survivor persisted every one of " + expected + " additions once"
                    + " within " + NodeCalls.millis(System.nanoTime() - killedAt) + " ms.");
            assertThat(flushingNodes()).hasSize(1).doesNotContain(flusher);
        } finally {
            holder.shutdownNow();
        }
    }

    /** Adds {@code perCall} x {@code calls} on each node from {@code callers} callers per node. */
    private static void add(long id, List<PayaraMicroProcess> nodes, int callers, int calls, int perCall)
            throws Exception {
        add(id, nodes, callers, calls, perCall, "");
    }

    /** The same, with {@code query} added to each call's query string. */
    private static void add(long id, List<PayaraMicroProcess> nodes, int callers, int calls, int perCall,
                            String query) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (PayaraMicroProcess node : nodes) {
                for (int caller = 0; caller < callers; caller++) {
                    done.add(pool.submit(() -> {
                        for (int call = 0; call < calls; call++) {
                            assertThat(post(node, "tally/" + id + "/add?times=" + perCall + query))
                                    .isEqualTo("added");
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> caller : done) {
                caller.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The persisted count once it reached {@code expected} (or what it was at the deadline), and a while after. */
    private static long persistedEventually(long id, long expected) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        eventually(deadline, () -> NODES.persisted(id) >= expected);
        Thread.sleep(1_000);       // a count persisted twice would show up with the next flushes
        return NODES.persisted(id);
    }

    private static List<PayaraMicroProcess> flushingNodes() throws Exception {
        List<PayaraMicroProcess> flushing = new ArrayList<>();
        for (PayaraMicroProcess node : NODES.all()) {
            if (node.isAlive() && get(node, "tally/status").contains("flushingNode=true")) {
                flushing.add(node);
            }
        }
        return flushing;
    }

    private static long figure(PayaraMicroProcess node, String name) throws Exception {
        return NodeCalls.figure(node, "tally/status", name);
    }
}
