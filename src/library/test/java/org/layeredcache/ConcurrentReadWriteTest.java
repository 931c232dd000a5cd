package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.layeredcache.testing.Containers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Nodes.bean;

/**
 * Readers and writers hammer a few keys on one node for a bounded time. A read that starts after a write has
 * returned must see that write or a later one: stale reads are counted, and there must be none.
 */
class ConcurrentReadWriteTest {

    static final int KEYS = 8;

    @ApplicationScoped
    public static class Counters {
        private final ConcurrentHashMap<Long, Long> rows = new ConcurrentHashMap<>();

        @CachedRead(cache = "concurrent", key = "counter-{id}")
        public long read(long id) {
            return rows.getOrDefault(id, 0L);
        }

        @Invalidates(cache = "concurrent", key = "counter-{id}")
        public long increment(long id) {
            return rows.merge(id, 1L, Long::sum);
        }
    }

    @Test
    void noReadIsOlderThanAWriteThatReturnedBeforeItStarted() throws Exception {
        try (WeldContainer node = Containers.start(Counters.class)) {
            Counters counters = bean(node, Counters.class);
            long base = ThreadLocalRandom.current().nextLong(1, 1L << 40);
            AtomicLongArray committed = new AtomicLongArray(KEYS);
            AtomicLong reads = new AtomicLong();
            AtomicLong stale = new AtomicLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            ExecutorService threads = Executors.newFixedThreadPool(9);
            List<Future<?>> work = new ArrayList<>();
            for (int writer = 0; writer < 3; writer++) {
                work.add(threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        int k = ThreadLocalRandom.current().nextInt(KEYS);
                        long version = counters.increment(base + k);
                        committed.accumulateAndGet(k, version, Math::max);
                    }
                }));
            }
            for (int reader = 0; reader < 6; reader++) {
                work.add(threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        int k = ThreadLocalRandom.current().nextInt(KEYS);
                        long floor = committed.get(k);
                        if (counters.read(base + k) < floor) {
                            stale.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    }
                }));
            }
            for (Future<?> future : work) {
                future.get(30, TimeUnit.SECONDS);
            }
            threads.shutdown();

            CacheStatistics statistics = node.select(CacheAdmin.class).get().statistics("concurrent");
            assertThat(reads.get()).isGreaterThan(1_000);
            assertThat(statistics.nearHits()).as("the cache was really used").isPositive();
            assertThat(stale.get()).isZero();
        }
    }
}
