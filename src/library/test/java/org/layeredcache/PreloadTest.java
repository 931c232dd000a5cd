package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.InProcessNodes;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.eventually;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * Bulk preload ({@code @Preloads}, {@code CacheTasks.preload}): chunks of one bulk put each (100 in this test's
 * configuration), oversized values skipped and counted, cancellation, and no value older than an invalidation
 * that happened while the preload ran.
 */
class PreloadTest {

    public record Item(long id, String text) implements Serializable {
    }

    /** The "table" the nodes share, and how the next preload's stream behaves. */
    static final Map<Long, String> ROWS = new ConcurrentHashMap<>();
    static final AtomicLong FIRST = new AtomicLong();
    static final AtomicLong COUNT = new AtomicLong();
    static final AtomicInteger LOADS = new AtomicInteger();
    static final AtomicBoolean CLOSED = new AtomicBoolean();
    /** When set, the stream waits for it before its last value (after it has read every value). */
    static volatile CountDownLatch holdBeforeEnd;
    static volatile CountDownLatch heldBeforeEnd;
    /** When set, the stream waits for it before each value past the first 250. */
    static volatile CountDownLatch slowAfter250;

    @ApplicationScoped
    public static class Catalog {

        @CachedRead(cache = "catalog", key = "item-{id}")
        public Item item(long id) {
            LOADS.incrementAndGet();
            String text = ROWS.get(id);
            return text == null ? null : new Item(id, text);
        }

        @Preloads(cache = "catalog", key = "item-{id}")
        public Stream<Item> everyItem() {
            CLOSED.set(false);
            long first = FIRST.get();
            long count = COUNT.get();
            CountDownLatch hold = holdBeforeEnd;
            CountDownLatch slow = slowAfter250;
            return LongStream.range(first, first + count).mapToObj(id -> {
                String text = ROWS.get(id);                        // read now: the "snapshot" of this row
                if (hold != null && id == first + count - 1) {
                    heldBeforeEnd.countDown();
                    await(hold);
                }
                if (slow != null && id >= first + 250) {
                    await(slow);
                }
                return new Item(id, text);
            }).onClose(() -> CLOSED.set(true));
        }

        @Invalidates(cache = "catalog", key = "item-{id}")
        public void change(long id, String text) {
            ROWS.put(id, text);
        }

        private static void await(CountDownLatch latch) {
            try {
                assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Catalog.class);

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 1_000_000_000L * 1000);

    /** {@code count} new rows whose texts are {@code size} characters; the next preload streams them. */
    private static long rows(int count, int size) {
        long first = NEXT.getAndAdd(count);
        for (long id = first; id < first + count; id++) {
            ROWS.put(id, "x".repeat(size));
        }
        FIRST.set(first);
        COUNT.set(count);
        return first;
    }

    private static TaskStatus awaitEnd(CacheTasks tasks, String id) throws InterruptedException {
        assertThat(eventually(Duration.ofSeconds(30), () -> !tasks.status(id).orElseThrow().pending())).isTrue();
        return tasks.status(id).orElseThrow();
    }

    @Test
    void aPreloadWritesChunksWithOneBulkPutEachAndOtherNodesReadThemFromTheCluster() throws Exception {
        long first = rows(1_250, 100);
        CacheTasks tasks = bean(NODES.a(), CacheTasks.class);
        CacheStatistics before = statistics(NODES.a(), "catalog");

        TaskStatus ended = awaitEnd(tasks, tasks.preload("catalog").id());

        assertThat(ended.state()).isEqualTo("succeeded");
        assertThat(ended.done()).isEqualTo(1_250);
        assertThat(ended.skipped()).isZero();
        CacheStatistics after = statistics(NODES.a(), "catalog");
        assertThat(after.preloadChunks() - before.preloadChunks()).as("13 chunks of at most 100").isEqualTo(13);
        assertThat(after.preloaded() - before.preloaded()).isEqualTo(1_250);
        assertThat(CLOSED).as("the stream was closed").isTrue();

        int loads = LOADS.get();
        Catalog b = bean(NODES.b(), Catalog.class);
        for (long id = first; id < first + 1_250; id += 97) {
            assertThat(b.item(id).text()).hasSize(100);
        }
        assertThat(LOADS.get()).as("node B read the preloaded entries from the cluster").isEqualTo(loads);
    }

    @Test
    void valuesOverTheSizeLimitAreSkippedAndCountedAndLoadedWhenRead() throws Exception {
        long first = rows(10, 100);
        ROWS.put(first + 3, "y".repeat(4_000));                    // over this cache's 2KB limit
        ROWS.put(first + 7, "y".repeat(4_000));
        CacheTasks tasks = bean(NODES.a(), CacheTasks.class);

        TaskStatus ended = awaitEnd(tasks, tasks.preload("catalog").id());

        assertThat(ended.state()).isEqualTo("succeeded");
        assertThat(ended.done()).isEqualTo(10);
        assertThat(ended.skipped()).isEqualTo(2);
        int loads = LOADS.get();
        bean(NODES.b(), Catalog.class).item(first + 3);
        bean(NODES.b(), Catalog.class).item(first + 4);
        assertThat(LOADS.get() - loads).as("only the skipped one is loaded").isEqualTo(1);
    }

    @Test
    void aCancelledPreloadStopsAfterItsCurrentChunk() throws Exception {
        long first = rows(1_000, 10);
        CountDownLatch slow = new CountDownLatch(1);
        slowAfter250 = slow;
        CacheTasks tasks = bean(NODES.a(), CacheTasks.class);
        try {
            String id = tasks.preload("catalog").id();
            assertThat(eventually(Duration.ofSeconds(10), () -> tasks.status(id).orElseThrow().done() >= 200))
                    .as("two chunks written: %s", tasks.status(id)).isTrue();
            assertThat(tasks.cancel(id)).isTrue();
            slow.countDown();
            TaskStatus ended = awaitEnd(tasks, id);
            assertThat(ended.state()).isEqualTo("cancelled");
            assertThat(ended.done()).isLessThan(1_000);
        } finally {
            slowAfter250 = null;
            slow.countDown();
        }
        assertThat(CLOSED).as("the stream was closed").isTrue();
        int loads = LOADS.get();
        bean(NODES.b(), Catalog.class).item(first + 999);
        assertThat(LOADS.get() - loads).as("the last values were never written").isEqualTo(1);
    }

    /**
     * A row changes (and is invalidated on another node) after the preload read it and before its chunk is
     * written: the preload's older value must not stay in the cluster.
     */
    @Test
    void aValueInvalidatedWhileThePreloadRanDoesNotStayInTheCluster() throws Exception {
        long first = rows(50, 10);
        CountDownLatch hold = new CountDownLatch(1);
        heldBeforeEnd = new CountDownLatch(1);
        holdBeforeEnd = hold;
        CacheTasks tasks = bean(NODES.a(), CacheTasks.class);
        String id;
        try {
            id = tasks.preload("catalog").id();
            assertThat(heldBeforeEnd.await(10, TimeUnit.SECONDS)).isTrue();  // every row read, nothing written
            long heard = statistics(NODES.a(), "catalog").invalidationsReceived();
            bean(NODES.b(), Catalog.class).change(first + 5, "new");
            assertThat(eventually(Duration.ofSeconds(10),
                    () -> statistics(NODES.a(), "catalog").invalidationsReceived() > heard)).isTrue();
        } finally {
            holdBeforeEnd = null;
            hold.countDown();
        }
        assertThat(awaitEnd(tasks, id).state()).isEqualTo("succeeded");

        assertThat(bean(NODES.b(), Catalog.class).item(first + 5).text()).isEqualTo("new");
        assertThat(bean(NODES.b(), Catalog.class).item(first + 6).text()).isEqualTo("x".repeat(10));
    }

    @Test
    void aCacheWithoutAPreloadMethodIsRefusedByName() {
        CacheTasks tasks = bean(NODES.a(), CacheTasks.class);
        assertThatThrownBy(() -> tasks.preload("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no @Preloads method fills cache 'nope'").hasMessageContaining("[catalog]");
    }
}
