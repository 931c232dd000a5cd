package org.layeredcache.cluster;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.PayaraMicroProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.cluster.NodeCalls.eventually;
import static org.layeredcache.cluster.NodeCalls.get;
import static org.layeredcache.cluster.NodeCalls.post;

/**
 * Shared objects on three Payara nodes ({@link ThreeNodes}, stored every 300 ms into PostgreSQL): changes of one
 * object made at once by many requests on three nodes are all kept and stored; killing the storing node in the
 * middle of a store (its writes done, its commit not) loses no change: a survivor stores them, also when no later
 * change of the object comes to mark it again. Right after the
 * kill a write may wait for Hazelcast to give up the dead member's backup acknowledgement (5 s) while it holds the
 * object's lock, so that the writes behind it give up too and are kept on their nodes for the next store period:
 * every node reads them once written, not at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterObjectsIT {

    /** How long the database may take to hold every change once the changes are over. */
    static final Duration SETTLE = Duration.ofSeconds(30);

    @RegisterExtension
    static final ThreeNodes NODES = new ThreeNodes();

    private static final AtomicLong NUMBERS = new AtomicLong();

    @Test
    @Order(1)
    void changesOfOneObjectFromThreeNodesAtOnceAreAllKeptAndStored() throws Exception {
        long id = NODES.newId();
        Set<Long> added = add(id, NODES.all(), 8, 10);
        for (PayaraMicroProcess node : NODES.all()) {
            assertThat(numbers(get(node, "baskets/" + id))).as("read on %s", node.name()).isEqualTo(added);
        }
        assertThat(storedEventually(id, added)).as("stored").isEqualTo(added);
    }

    @Test
    @Order(2)
    void killingTheStoringNodeInTheMiddleOfAStoreLosesNoChange() throws Exception {
        PayaraMicroProcess storer = storingNodes().get(0);
        List<PayaraMicroProcess> survivors = new ArrayList<>(NODES.all());
        survivors.remove(storer);
        long id = NODES.newId();
        long other = NODES.newId();
        assertThat(post(storer, "baskets/hold")).isEqualTo("holding");
        // One request, one write: the held store takes the object's last version, and nothing marks it again.
        Set<Long> added = new TreeSet<>();
        long first = NUMBERS.get() + 1;
        for (int i = 0; i < 20; i++) {
            added.add(NUMBERS.incrementAndGet());
        }
        assertThat(post(survivors.get(0), "baskets/" + id + "/add-many?from=" + first + "&count=20"))
                .isEqualTo("added");
        assertThat(get(storer, "baskets/held")).isEqualTo("held");
        long killedAt = System.nanoTime();
        storer.kill();
        NODES.report("Shared objects: the storing node " + storer.name() + " killed while a store held its"
                + " writes uncommitted.");
        Set<Long> addedToOther = add(other, survivors, 2, 5);           // changes go on meanwhile, elsewhere
        long kept = 0;
        for (PayaraMicroProcess node : survivors) {
            kept += figure(node, "keptOnNode");
        }
        assertThat(storedEventually(id, added)).as("stored after the kill").isEqualTo(added);
        assertThat(storedEventually(other, addedToOther)).as("the other object").isEqualTo(addedToOther);
        NODES.report("Shared objects: after the kill, a survivor stored all " + added.size() + " changes within "
                + NodeCalls.millis(System.nanoTime() - killedAt) + " ms (" + kept + " objects' changes were kept"
                + " on their node for a while).");
        for (PayaraMicroProcess node : survivors) {
            assertThat(numbers(get(node, "baskets/" + id))).as("read on %s", node.name()).isEqualTo(added);
            long deadline = System.nanoTime() + SETTLE.toNanos();
            eventually(deadline, () -> numbers(get(node, "baskets/" + other)).equals(addedToOther));
            assertThat(numbers(get(node, "baskets/" + other))).as("read on %s", node.name())
                    .isEqualTo(addedToOther);
        }
        assertThat(storingNodes()).hasSize(1).doesNotContain(storer);
    }

    /**
     * Adds a new number to basket {@code id} {@code calls} times from each of {@code callers} callers per node, one
     * request each; the numbers added.
     */
    private static Set<Long> add(long id, List<PayaraMicroProcess> nodes, int callers, int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * callers);
        Set<Long> added = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (PayaraMicroProcess node : nodes) {
                for (int caller = 0; caller < callers; caller++) {
                    done.add(pool.submit(() -> {
                        for (int call = 0; call < calls; call++) {
                            long number = NUMBERS.incrementAndGet();
                            assertThat(post(node, "baskets/" + id + "/add?number=" + number)).isEqualTo("added");
                            added.add(number);
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
        return new TreeSet<>(added);
    }

    /** The numbers of a basket's text; each at most once, or the test fails. */
    private static Set<Long> numbers(String text) {
        if (text == null || text.isEmpty()) {
            return new TreeSet<>();
        }
        List<Long> numbers = Arrays.stream(text.trim().split(",")).map(Long::parseLong).toList();
        Set<Long> distinct = new TreeSet<>(numbers);
        assertThat(distinct).as("no change applied twice").hasSize(numbers.size());
        return distinct;
    }

    /** What the database holds of the basket once it holds {@code expected} (or at the deadline). */
    private static Set<Long> storedEventually(long id, Set<Long> expected) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        eventually(deadline, () -> numbers(NODES.storedBasket(id)).equals(expected));
        return numbers(NODES.storedBasket(id));
    }

    private static long figure(PayaraMicroProcess node, String name) throws Exception {
        return NodeCalls.figure(node, "baskets/status", name);
    }

    private static List<PayaraMicroProcess> storingNodes() throws Exception {
        List<PayaraMicroProcess> storing = new ArrayList<>();
        for (PayaraMicroProcess node : NODES.all()) {
            if (node.isAlive() && get(node, "baskets/status").contains("storingNode=true")) {
                storing.add(node);
            }
        }
        return storing;
    }
}
