package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.InProcessNodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.eventually;
import static org.layeredcache.testing.Nodes.statistics;
import static org.layeredcache.testing.StatisticsAssert.assertThatChange;

/**
 * Single flight: concurrent misses of one key share one load, on a node and across nodes; a waiter's wait is
 * bounded; a failed load is shared with its waiters but never kept.
 */
class SingleFlightTest {

    /** Loads of every node, counted together: the point is how often the method runs in the whole cluster. */
    static final AtomicInteger LOADS = new AtomicInteger();

    @ApplicationScoped
    public static class Prices {
        private final Set<Long> failing = ConcurrentHashMap.newKeySet();
        private volatile CountDownLatch held;

        /** Makes loads of {@code id} throw (after the usual 200 ms). */
        void failFor(long id) {
            failing.add(id);
        }

        /** Makes the next load wait until {@code released} opens. */
        void holdNextLoad(CountDownLatch released) {
            held = released;
        }

        @CachedRead(cache = "flight", key = "price-{id}")
        public String price(long id) throws InterruptedException {
            return slowLoad(id);
        }

        @CachedRead(cache = "flight-short-wait", key = "price-{id}")
        public String priceWithShortWait(long id) throws InterruptedException {
            CountDownLatch released = held;
            if (released != null) {
                held = null;
                assertThat(released.await(30, TimeUnit.SECONDS)).isTrue();
            }
            return "price " + id + " load " + LOADS.incrementAndGet();
        }

        private String slowLoad(long id) throws InterruptedException {
            int load = LOADS.incrementAndGet();
            Thread.sleep(200);                     // a slow query: every caller arrives while it runs
            if (failing.contains(id)) {
                throw new IllegalStateException("the database is down (load " + load + ")");
            }
            return "price " + id + " load " + load;
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(3, Prices.class);
    private static final ExecutorService CALLERS = Executors.newFixedThreadPool(64);

    @AfterAll
    static void stopCallers() {
        CALLERS.shutdownNow();
    }


    /** Runs every call at once (released together) and returns their futures in order. */
    private static List<Future<String>> atOnce(List<Callable<String>> calls) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (Callable<String> call : calls) {
            results.add(CALLERS.submit(() -> {
                ready.countDown();
                go.await();
                return call.call();
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        return results;
    }

    private static Set<String> values(List<Future<String>> results) throws Exception {
        Set<String> values = ConcurrentHashMap.newKeySet();
        for (Future<String> result : results) {
            values.add(result.get(30, TimeUnit.SECONDS));
        }
        return values;
    }

    @Test
    void sixtyFourConcurrentMissesOfOneKeyOnOneNodeRunTheMethodOnce() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        CacheStatistics before = statistics(NODES.a(), "flight");
        int loadsBefore = LOADS.get();
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(() -> a.price(id));
        }

        Set<String> values = values(atOnce(calls));

        assertThat(LOADS.get() - loadsBefore).as("loads").isEqualTo(1);
        assertThat(values).hasSize(1);
        CacheStatistics after = statistics(NODES.a(), "flight");
        assertThat(after.sharedLoads() - before.sharedLoads()).as("callers that waited for the one load")
                .isPositive();
        assertThat(after.calls() - before.calls()).isEqualTo(64);
    }

    @Test
    void missesOfOneKeyOnThreeNodesRunTheMethodOnceInTheCluster() throws Exception {
        long id = newId();
        int loadsBefore = LOADS.get();
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            Prices node = bean(NODES.node(i % 3), Prices.class);
            calls.add(() -> node.price(id));
        }

        Set<String> values = values(atOnce(calls));

        assertThat(LOADS.get() - loadsBefore).as("loads in the whole cluster").isEqualTo(1);
        assertThat(values).hasSize(1);
    }

    @Test
    void aFailedLoadReachesItsWaitersAndIsNotKept() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        a.failFor(id);
        int loadsBefore = LOADS.get();
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> a.price(id));
        }

        List<Future<String>> results = atOnce(calls);
        for (Future<String> result : results) {
            assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class);
        }

        assertThat(LOADS.get() - loadsBefore).as("one load for the eight callers").isEqualTo(1);
        assertThatThrownBy(() -> a.price(id)).as("the next call loads again: the exception was not cached")
                .hasMessageContaining("load " + (loadsBefore + 2));
    }

    @Test
    void aWaiterGivesUpAfterLoadWaitAndLoadsByItself() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        CountDownLatch release = new CountDownLatch(1);
        a.holdNextLoad(release);
        CacheStatistics before = statistics(NODES.a(), "flight-short-wait");
        Future<String> held = CALLERS.submit(() -> a.priceWithShortWait(id));
        assertThat(eventually(Duration.ofSeconds(10),
                () -> statistics(NODES.a(), "flight-short-wait").loads() > before.loads())).isTrue();

        String waiter = a.priceWithShortWait(id);    // load.wait is 300ms for this cache (test configuration)

        release.countDown();
        assertThat(held.get(30, TimeUnit.SECONDS)).isNotEqualTo(waiter);
        assertThatChange(before, statistics(NODES.a(), "flight-short-wait")).loads(2).waitsGivenUp(1);
    }
}
