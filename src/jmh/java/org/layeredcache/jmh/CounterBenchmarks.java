package org.layeredcache.jmh;

import org.layeredcache.Counters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Additions to a counter of 10 keys (each addition to a random key), many threads at once: through
 * {@link Counters} (one cluster write, shared by the additions of one key made at once; flushed every second in
 * the background), through {@link Counters} to a counter that does not wait for the cluster (the node sends what
 * it holds every send period), against one {@code UPDATE ... n = n + 1} per addition on PostgreSQL, the same
 * keys. Runs inside Payara Micro (see {@link BenchmarkResource#counters}). Counts the additions made, and keeps
 * the return time of one in 256 of the waiting counter's for the flush lag.
 */
public class CounterBenchmarks {

    static final LongAdder ADDED = new LongAdder();
    static final LongAdder DIRECT = new LongAdder();
    static final LongAdder HELD = new LongAdder();
    /** System.nanoTime() when sampled additions returned. */
    static final ConcurrentLinkedQueue<Long> SAMPLES = new ConcurrentLinkedQueue<>();

    @State(Scope.Benchmark)
    public static class Application {
        final Counters counters = BenchmarkResource.counters();
        final BenchViews views = BenchmarkResource.views();
    }

    @Benchmark
    public void countersAdd(Application application) {
        long key = 1 + ThreadLocalRandom.current().nextInt(BenchViews.KEYS);
        application.counters.add(BenchViews.COUNTER, key, 1);
        ADDED.increment();
        if ((ThreadLocalRandom.current().nextInt() & 255) == 0) {
            SAMPLES.add(System.nanoTime());
        }
    }

    @Benchmark
    public void countersAddNotAwaitingTheCluster(Application application) {
        long key = 1 + ThreadLocalRandom.current().nextInt(BenchViews.KEYS);
        application.counters.add(BenchViews.HELD, key, 1);
        HELD.increment();
    }

    @Benchmark
    public void sqlUpdatePerAddition(Application application) throws SQLException {
        application.views.updateDirectly(1 + ThreadLocalRandom.current().nextInt(BenchViews.KEYS));
        DIRECT.increment();
    }
}
