package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.InProcessNodes;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.eventually;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * Per-element caching ({@code @CachedRead(each = ...)}): one entry per id, shared with single reads of the same
 * template shape; only the missing ids reach the method, in one call; the answer keeps the caller's order.
 */
class ManyKeysTest {

    private static final AtomicLong IDS = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 40));

    public record Price(long id, String text) implements Serializable {
    }

    @ApplicationScoped
    public static class Prices {
        /** The "table", shared by the nodes as a database is: ids without a row have no price. */
        static final Map<Long, String> ROWS = new ConcurrentHashMap<>();
        /** The ids each call of a many-keys method was given, and each single load's id. */
        final List<List<Long>> bulkCalls = new CopyOnWriteArrayList<>();
        final List<Long> singleLoads = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch holdSingle;
        private volatile CountDownLatch singleStarted;

        /** Through methods: the test holds a client proxy, whose fields are not the bean's. */
        Map<Long, String> rows() {
            return ROWS;
        }

        List<List<Long>> bulkCalls() {
            return bulkCalls;
        }

        List<Long> singleLoads() {
            return singleLoads;
        }

        void holdNextSingleLoad(CountDownLatch started, CountDownLatch release) {
            singleStarted = started;
            holdSingle = release;
        }

        @CachedRead(cache = "prices", key = "price-{id}")
        public String price(long id) throws InterruptedException {
            singleLoads.add(id);
            CountDownLatch release = holdSingle;
            if (release != null) {
                holdSingle = null;
                singleStarted.countDown();
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            }
            return ROWS.get(id);
        }

        @CachedRead(cache = "prices", key = "price-{ids}", each = "ids")
        public Map<Long, String> prices(List<Long> ids) throws InterruptedException {
            bulkCalls.add(List.copyOf(ids));
            Map<Long, String> found = new HashMap<>();
            for (long id : ids) {
                if (ROWS.containsKey(id)) {
                    found.put(id, ROWS.get(id));
                }
            }
            CountDownLatch release = holdBulk;
            if (release != null) {                       // the rows are read; the load is not finished
                holdBulk = null;
                bulkRead.countDown();
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            }
            return found;
        }

        private volatile CountDownLatch holdBulk;
        private volatile CountDownLatch bulkRead;

        void holdNextBulkLoadAfterItsRead(CountDownLatch read, CountDownLatch release) {
            bulkRead = read;
            holdBulk = release;
        }

        /** Items of a cache that takes at most 64KB per entry (the "sizes" cache of the test configuration). */
        @CachedRead(cache = "sizes", key = "text-{ids}", each = "ids")
        public Map<Long, String> texts(List<Long> ids) {
            bulkCalls.add(List.copyOf(ids));
            Map<Long, String> found = new HashMap<>();
            for (long id : ids) {
                found.put(id, id % 2 == 0 ? "small " + id : random(200_000));
            }
            return found;
        }

        private static String random(int length) {
            StringBuilder text = new StringBuilder(length);
            java.util.Random random = new java.util.Random(length);
            for (int i = 0; i < length; i++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            return text.toString();
        }

        @CachedRead(cache = "price-records", key = "record-{ids}", each = "ids", idOf = "id")
        public List<Price> records(List<Long> ids) {
            bulkCalls.add(List.copyOf(ids));
            List<Price> found = new ArrayList<>();
            for (long id : ids) {                       // as a query would: its own order, no row no element
                if (ROWS.containsKey(id)) {
                    found.add(0, new Price(id, ROWS.get(id)));
                }
            }
            return found;
        }

        /** A cache switched off by configuration: every call runs the method with every id. */
        @CachedRead(cache = "switched-off", key = "off-{ids}", each = "ids")
        public Map<Long, String> switchedOff(List<Long> ids) {
            bulkCalls.add(List.copyOf(ids));
            Map<Long, String> found = new HashMap<>();
            ids.forEach(id -> found.put(id, "off " + id));
            return found;
        }

        @Invalidates(cache = "prices", key = "price-{id}")
        public void change(long id, String text) {
            ROWS.put(id, text);
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Prices.class);
    private static final ExecutorService CALLERS = Executors.newFixedThreadPool(16);

    @AfterAll
    static void stopCallers() {
        CALLERS.shutdownNow();
    }

    /** {@code count} new ids, each with a row. */
    private static List<Long> rows(Prices prices, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = IDS.incrementAndGet();
            prices.rows().put(id, "price " + id);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void singleAndManyKeyReadsShareEntriesBothWaysAndOnlyMissingIdsReachTheMethod() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        List<Long> ids = rows(a, 4);
        a.price(ids.get(0));                                       // one entry, read singly
        a.bulkCalls().clear();

        Map<Long, String> many = a.prices(ids);

        assertThat(a.bulkCalls()).containsExactly(ids.subList(1, 4));
        assertThat(many).containsExactly(Map.entry(ids.get(0), "price " + ids.get(0)),
                Map.entry(ids.get(1), "price " + ids.get(1)), Map.entry(ids.get(2), "price " + ids.get(2)),
                Map.entry(ids.get(3), "price " + ids.get(3)));
        a.singleLoads().clear();
        assertThat(a.price(ids.get(2))).isEqualTo("price " + ids.get(2));
        assertThat(a.singleLoads()).as("the single read found the entry the many-keys read stored").isEmpty();

        a.bulkCalls().clear();
        assertThat(a.prices(ids)).isEqualTo(many);
        assertThat(a.bulkCalls()).as("all four cached: no call").isEmpty();
    }

    @Test
    void theAnswerKeepsTheCallersOrderAndDuplicatesAndLeavesOutIdsWithoutValue() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        List<Long> ids = rows(a, 3);
        long missing = IDS.incrementAndGet();                       // no row
        List<Long> asked = List.of(ids.get(2), ids.get(0), missing, ids.get(2), ids.get(1));
        a.bulkCalls().clear();

        List<Price> records = a.records(asked);

        assertThat(records).containsExactly(new Price(ids.get(2), "price " + ids.get(2)),
                new Price(ids.get(0), "price " + ids.get(0)), new Price(ids.get(2), "price " + ids.get(2)),
                new Price(ids.get(1), "price " + ids.get(1)));
        assertThat(a.bulkCalls()).as("each id once, in the caller's order").containsExactly(
                List.of(ids.get(2), ids.get(0), missing, ids.get(1)));
        assertThat(a.prices(asked).keySet()).containsExactly(ids.get(2), ids.get(0), ids.get(1));

        a.bulkCalls().clear();
        assertThat(a.records(asked)).isEqualTo(records);
        assertThat(a.bulkCalls()).as("the id without a value is cached as absent").isEmpty();
        assertThat(a.records(List.of())).isEmpty();
        assertThat(a.bulkCalls()).as("no ids, no call").isEmpty();
    }

    @Test
    void aSingleKeyInvalidationDropsOneElementWhichIsReloadedAlone() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        Prices b = bean(NODES.b(), Prices.class);
        List<Long> ids = rows(a, 3);
        a.prices(ids);
        b.prices(ids);
        a.bulkCalls().clear();
        b.bulkCalls().clear();

        a.change(ids.get(1), "changed");

        assertThat(a.prices(ids)).containsEntry(ids.get(1), "changed");
        assertThat(a.bulkCalls()).containsExactly(List.of(ids.get(1)));
        assertThat(eventually(Duration.ofSeconds(10), () -> {
            try {
                return "changed".equals(b.prices(ids).get(ids.get(1)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        })).as("node B sees the change").isTrue();
        assertThat(b.bulkCalls()).as("node B found A's reload in the cluster").isEmpty();
    }

    @Test
    void anotherNodeReadsTheElementsFromTheClusterInOneRound() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        Prices b = bean(NODES.b(), Prices.class);
        List<Long> ids = rows(a, 10);
        a.prices(ids.subList(0, 9));
        CacheStatistics before = statistics(NODES.b(), "prices");
        b.bulkCalls().clear();

        assertThat(b.prices(ids)).hasSize(10);

        CacheStatistics after = statistics(NODES.b(), "prices");
        assertThat(after.clusterHits() - before.clusterHits()).isEqualTo(9);
        assertThat(after.loads() - before.loads()).isEqualTo(1);
        assertThat(b.bulkCalls()).containsExactly(List.of(ids.get(9)));
        assertThat(b.prices(ids)).hasSize(10);
        assertThat(statistics(NODES.b(), "prices").nearHits() - after.nearHits()).isEqualTo(10);
    }

    /** An id whose single load is in flight on the node is waited for, not loaded again. */
    @Test
    void anIdWhoseLoadIsInFlightIsWaitedForNotLoadedAgain() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        List<Long> ids = rows(a, 3);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        a.holdNextSingleLoad(started, release);
        Future<String> single = CALLERS.submit(() -> a.price(ids.get(1)));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        a.bulkCalls().clear();

        Future<Map<Long, String>> many = CALLERS.submit(() -> a.prices(ids));
        assertThat(eventually(Duration.ofSeconds(10), () -> statistics(NODES.a(), "prices").waits() > 0
                && a.bulkCalls().isEmpty())).isTrue();
        release.countDown();

        assertThat(many.get(30, TimeUnit.SECONDS)).hasSize(3);
        assertThat(single.get(30, TimeUnit.SECONDS)).isEqualTo("price " + ids.get(1));
        assertThat(a.bulkCalls()).as("the id in flight did not reach the method")
                .containsExactly(List.of(ids.get(0), ids.get(2)));
    }

    /** Many overlapping reads of many keys at once: every answer is right, and none waits for another forever. */
    @Test
    void concurrentOverlappingReadsAllAnswerRightWithoutWaitingForEachOther() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        Prices b = bean(NODES.b(), Prices.class);
        List<Long> ids = rows(a, 40);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Map<Long, String>>> answers = new ArrayList<>();
        List<List<Long>> asked = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            List<Long> subset = new ArrayList<>(ids);
            java.util.Collections.shuffle(subset, new java.util.Random(i));
            List<Long> some = subset.subList(0, 25);
            asked.add(some);
            Prices node = i % 2 == 0 ? a : b;
            answers.add(CALLERS.submit(() -> {
                go.await();
                return node.prices(some);
            }));
        }
        long started = System.nanoTime();
        go.countDown();
        for (int i = 0; i < answers.size(); i++) {
            Map<Long, String> answer = answers.get(i).get(30, TimeUnit.SECONDS);
            assertThat(answer.keySet()).containsExactlyElementsOf(asked.get(i));
            answer.forEach((id, text) -> assertThat(text).isEqualTo("price " + id));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no read waited out load.wait (5 s)")
                .isLessThan(Duration.ofSeconds(5));
    }

    /**
     * The stale-set race, per element: the load of many ids has read its rows when one of them is changed and
     * invalidated; the load's caller gets what it read, but the old value must reach no layer on any node.
     */
    @Test
    void anElementInvalidatedWhileItsLoadRunsIsNotPublishedAnywhere() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        Prices b = bean(NODES.b(), Prices.class);
        List<Long> ids = rows(a, 3);
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        a.holdNextBulkLoadAfterItsRead(read, release);
        Future<Map<Long, String>> load = CALLERS.submit(() -> a.prices(ids));
        assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();

        b.change(ids.get(1), "new");                     // on the other node, while A's load holds the old row
        release.countDown();

        assertThat(load.get(30, TimeUnit.SECONDS)).containsEntry(ids.get(1), "price " + ids.get(1));
        assertThat(eventually(Duration.ofSeconds(10), () -> {
            try {
                return "new".equals(a.prices(ids).get(ids.get(1)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        })).as("node A reads the new row").isTrue();
        assertThat(b.prices(ids)).containsEntry(ids.get(1), "new").containsEntry(ids.get(0), "price " + ids.get(0));
    }

    /** The size guard, per element: a value too large for the cluster is returned and kept near, not shared. */
    @Test
    void anElementOverTheSizeLimitIsReturnedButKeptOutOfTheCluster() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        Prices b = bean(NODES.b(), Prices.class);
        long even = IDS.addAndGet(2) & ~1L;
        List<Long> ids = List.of(even, even + 1);
        CacheStatistics before = statistics(NODES.a(), "sizes");

        assertThat(a.texts(ids).get(even + 1)).hasSize(200_000);

        assertThat(statistics(NODES.a(), "sizes").oversized() - before.oversized()).isEqualTo(1);
        b.bulkCalls().clear();
        assertThat(b.texts(ids)).hasSize(2);
        assertThat(b.bulkCalls()).as("node B found the small one in the cluster, not the large one")
                .containsExactly(List.of(even + 1));
    }

    @Test
    void aSwitchedOffCacheRunsTheMethodWithEveryIdEachTime() {
        Prices a = bean(NODES.a(), Prices.class);
        a.bulkCalls().clear();
        List<Long> ids = List.of(3L, 1L, 3L);
        assertThat(a.switchedOff(ids)).containsExactly(Map.entry(3L, "off 3"), Map.entry(1L, "off 1"));
        assertThat(a.switchedOff(ids)).hasSize(2);
        assertThat(a.bulkCalls()).containsExactly(List.of(3L, 1L), List.of(3L, 1L));
    }

    @Test
    void aNullCollectionIsRefusedNamingMethodAnnotationAndParameter() {
        Prices a = bean(NODES.a(), Prices.class);
        assertThatThrownBy(() -> a.prices(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Prices.class.getName() + "#prices(List)")
                .hasMessageContaining("@CachedRead(cache = \"prices\", each = \"ids\")")
                .hasMessageContaining("the collection of ids is null");
    }

    @Test
    void aNullIdIsRefusedBeforeAnyLayerOrTheMethodIsAsked() {
        Prices a = bean(NODES.a(), Prices.class);
        a.bulkCalls().clear();
        assertThatThrownBy(() -> a.prices(java.util.Arrays.asList(1L, null, 2L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Prices.class.getName() + "#prices(List)")
                .hasMessageContaining("@CachedRead(cache = \"prices\", each = \"ids\")")
                .hasMessageContaining("holds null (element 1 of 3)");
        assertThat(a.bulkCalls()).as("the method never saw the null").isEmpty();
    }

    @Test
    void theRecentLoadsCountWhatTheLoadsCountOneForEachEntryLoaded() throws Exception {
        Prices a = bean(NODES.a(), Prices.class);
        List<Long> ids = rows(a, 3);
        org.layeredcache.internal.cache.CacheRegistry registry =
                bean(NODES.a(), org.layeredcache.internal.cache.CacheRegistry.class);
        long loads = statistics(NODES.a(), "prices").loads();
        long recentLoads = registry.recent("prices", 5).loads();

        a.prices(ids);                                             // one method call, three entries loaded

        assertThat(statistics(NODES.a(), "prices").loads() - loads).isEqualTo(3);
        assertThat(registry.recent("prices", 5).loads() - recentLoads).as("loads of the last minutes, same meaning")
                .isEqualTo(3);
    }
}
