package org.layeredcache.internal.load;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;
import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.testing.EmbeddedHazelcast;
import org.layeredcache.testing.InProcessNodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * Refresh-ahead on two nodes: an old entry still answers at once, one reload runs in the background for the
 * whole cluster, and an invalidation during the reload wins.
 */
class RefreshAheadTest {

    static final AtomicInteger LOADS = new AtomicInteger();
    /** The rows, shared by both nodes as a database would be. */
    static final Map<Long, Integer> VERSIONS = new ConcurrentHashMap<>();
    static final Set<String> LOADING_THREADS = ConcurrentHashMap.newKeySet();

    @ApplicationScoped
    public static class Quotes {
        private volatile CountDownLatch reloadStarted;
        private volatile CountDownLatch mayFinish;

        /** Makes the next load pause after it has read the row, until {@code mayFinish} opens. */
        void pauseNextLoad(CountDownLatch started, CountDownLatch finish) {
            reloadStarted = started;
            mayFinish = finish;
        }

        @CachedRead(cache = "refresh", key = "quote-{id}", ttl = "1h", refreshAfter = "300ms")
        public String quote(long id) throws InterruptedException {
            int load = LOADS.incrementAndGet();
            LOADING_THREADS.add(Thread.currentThread().getName());
            String row = "quote " + id + " version " + VERSIONS.getOrDefault(id, 1) + " load " + load;
            CountDownLatch finish = mayFinish;
            if (finish != null) {
                mayFinish = null;
                reloadStarted.countDown();
                assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
            }
            return row;
        }

        @Invalidates(cache = "refresh", key = "quote-{id}")
        public void change(long id) {
            VERSIONS.merge(id, 2, (old, one) -> old + 1);
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Quotes.class);
    private static final ExecutorService CALLERS = Executors.newFixedThreadPool(32, runnable -> {
        Thread thread = new Thread(runnable, "caller-" + ThreadLocalRandom.current().nextInt());
        thread.setDaemon(true);
        return thread;
    });

    @AfterAll
    static void stopCallers() {
        CALLERS.shutdownNow();
    }

    private static long newId() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    private static long refreshes() {
        return statistics(NODES.a(), "refresh").refreshes() + statistics(NODES.b(), "refresh").refreshes();
    }

    /** Waits until an entry published by {@code publishedBy} (epoch ms) is older than refreshAfter (300ms). */
    private static void awaitOld(long publishedBy) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.currentTimeMillis() - publishedBy > 350);
    }

    private static boolean refreshMarked(long id) {
        return EmbeddedHazelcast.sharedCacheManager().<byte[], byte[]>getCache("refresh")
                .containsKey(ClusterCodec.refreshMark(CacheKey.of("quote-{}", id)));
    }

    @Test
    void anOldEntryAnswersAtOnceWhileOneReloadForTheClusterRunsInTheBackground() throws Exception {
        Quotes a = bean(NODES.a(), Quotes.class);
        Quotes b = bean(NODES.b(), Quotes.class);
        long id = newId();
        String first = a.quote(id);
        assertThat(b.quote(id)).isEqualTo(first);
        awaitOld(System.currentTimeMillis());
        int loadsBefore = LOADS.get();
        long refreshesBefore = refreshes();
        LOADING_THREADS.clear();

        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Quotes node = i % 2 == 0 ? a : b;
            calls.add(CALLERS.submit(() -> node.quote(id)));
        }
        Set<String> answers = ConcurrentHashMap.newKeySet();
        for (Future<String> call : calls) {
            answers.add(call.get(10, TimeUnit.SECONDS));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.quote(id).equals(first) && !b.quote(id).equals(first));
        await().atMost(Duration.ofSeconds(10)).until(() -> !refreshMarked(id));
        String refreshed = a.quote(id);

        assertThat(answers).as("the old entry, or the refreshed one once it was there").contains(first)
                .isSubsetOf(first, refreshed);
        assertThat(LOADS.get() - loadsBefore).as("one reload in the cluster").isEqualTo(1);
        assertThat(refreshes() - refreshesBefore).isEqualTo(1);
        assertThat(LOADING_THREADS).as("no caller ran the method").noneMatch(name -> name.startsWith("caller-"));
        assertThat(a.quote(id)).isEqualTo(b.quote(id));
    }

    @Test
    void anInvalidationDuringTheReloadWinsOverTheReloadedValue() throws Exception {
        Quotes a = bean(NODES.a(), Quotes.class);
        Quotes b = bean(NODES.b(), Quotes.class);
        long id = newId();
        String first = a.quote(id);
        awaitOld(System.currentTimeMillis());
        CountDownLatch reloadStarted = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        a.pauseNextLoad(reloadStarted, mayFinish);

        assertThat(a.quote(id)).isEqualTo(first);              // starts the reload, which reads version 1 and waits
        assertThat(reloadStarted.await(10, TimeUnit.SECONDS)).isTrue();
        a.change(id);                                          // version 2, invalidated after the reload read
        mayFinish.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> !refreshMarked(id));

        assertThat(a.quote(id)).as("node A").contains("version 2");
        assertThat(b.quote(id)).as("node B, through the cluster").contains("version 2");
    }
}
