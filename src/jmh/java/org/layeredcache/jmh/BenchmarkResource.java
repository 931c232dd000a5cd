package org.layeredcache.jmh;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /jmh?benchmarks=HitBenchmarks}: runs one class of benchmarks ({@link HitBenchmarks} by default,
 * or {@link CodecBenchmarks}) inside this server, in this JVM (JMH {@code forks = 0}, so that
 * the beans are the application's own), and answers JMH's CSV results. Bounded: a few seconds per benchmark.
 */
@Path("jmh")
public class BenchmarkResource {

    /** The JAX-RS application of the benchmark WAR. */
    @ApplicationPath("/")
    public static class Rest extends Application {
    }

    private static volatile Items items;
    private static volatile StatelessItems statelessItems;
    private static volatile StandardItems standardItems;
    private static volatile Instance<RequestContextController> requestContexts;

    @Inject
    Items injectedItems;

    @Inject
    StatelessItems injectedStatelessItems;

    @Inject
    StandardItems injectedStandardItems;

    @Inject
    Instance<RequestContextController> injectedRequestContexts;

    static Items items() {
        return items;
    }

    static StandardItems standardItems() {
        return standardItems;
    }

    static StatelessItems statelessItems() {
        return statelessItems;
    }

    /**
     * What one read of the 100 ids (10 dropped first) did, before the benchmark measures it: how the method was
     * called and where the keys were answered; printed to the server's log and kept for the CSV's last lines.
     */
    private volatile String manyKeysFacts = "";

    private void manyKeysCheck(Items bean) {
        List<Long> ids = new java.util.ArrayList<>();
        for (long id = 1_000_000; id < 1_000_000 + ManyKeysBenchmarks.IDS; id++) {
            ids.add(id);
        }
        bean.itemsOf(ids);
        for (int i = 0; i < ManyKeysBenchmarks.MISSING; i++) {
            bean.drop(ids.get(i * (ManyKeysBenchmarks.IDS / ManyKeysBenchmarks.MISSING)));
        }
        long[] calls = bean.manyCounts();
        org.layeredcache.CacheStatistics before = admin.statistics("bench-many");
        bean.itemsOf(ids);
        org.layeredcache.CacheStatistics after = admin.statistics("bench-many");
        long[] now = bean.manyCounts();
        manyKeysFacts = "# one read of 100 ids, 10 dropped: method calls " + (now[0] - calls[0]) + ", ids given "
                + (now[1] - calls[1]) + ", near hits " + (after.nearHits() - before.nearHits()) + ", cluster hits "
                + (after.clusterHits() - before.clusterHits()) + ", loads " + (after.loads() - before.loads()) + "\n";
    }

    static RequestContextController requestContext() {
        return requestContexts.get();
    }

    @Inject
    PreloadBench preloadBench;

    @Inject
    org.layeredcache.CacheTasks tasks;

    @Inject
    org.layeredcache.CacheAdmin admin;

    /**
     * {@code POST /jmh/preload?rows=100000}: the preload benchmark, timed by wall clock (each run is seconds
     * long): the table filled with {@code rows} items of 2 KB, then read once through the source alone (the
     * baseline), then preloaded into each of the four caches (chunk sizes 1, 100, 500, 2000), the cache emptied
     * after each. Answers CSV: what, chunk size, entries, milliseconds, entries per second, peak heap (MB, all
     * heap pools, peaks reset before each run), heap before (MB, after a GC), bulk puts, skipped.
     */
    @POST
    @Path("preload")
    @Produces(MediaType.TEXT_PLAIN)
    public synchronized String preload(@QueryParam("rows") @DefaultValue("100000") int rows) throws Exception {
        if (rows < 1 || rows > 1_000_000) {
            throw new jakarta.ws.rs.BadRequestException("rows must be between 1 and 1000000");
        }
        preloadBench.fill(rows);
        StringBuilder csv = new StringBuilder("what,chunk,entries,millis,perSecond,peakHeapMb,heapBeforeMb,bulkPuts,"
                + "skipped\n");
        try {
            long before = settledHeap();
            long started = System.nanoTime();
            long count;
            try (java.util.stream.Stream<Items.Item> all = preloadBench.rows()) {
                count = all.count();
            }
            line(csv, "source only", "", count, System.nanoTime() - started, before, 0, 0);
            for (int chunk : new int[] {1, 100, 500, 2000}) {
                String cache = "bench-preload-" + chunk;
                admin.invalidateAll(cache);
                before = settledHeap();
                long puts = admin.statistics(cache).preloadChunks();
                started = System.nanoTime();
                String id = tasks.preload(cache).id();
                org.layeredcache.TaskStatus status = tasks.status(id).orElseThrow();
                while (status.pending()) {
                    Thread.sleep(5);
                    status = tasks.status(id).orElseThrow();
                }
                long nanos = System.nanoTime() - started;
                if (!status.state().equals("succeeded")) {
                    throw new IllegalStateException("the preload of " + cache + " ended " + status);
                }
                line(csv, "preload", String.valueOf(chunk), status.done(), nanos, before,
                        admin.statistics(cache).preloadChunks() - puts, status.skipped());
                admin.invalidateAll(cache);
            }
        } finally {
            preloadBench.drop();
        }
        return csv.toString();
    }

    private static void line(StringBuilder csv, String what, String chunk, long entries, long nanos, long heapBefore,
                             long puts, long skipped) {
        long peak = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        csv.append(what).append(',').append(chunk).append(',').append(entries).append(',')
                .append(nanos / 1_000_000).append(',').append(Math.round(entries / (nanos / 1e9))).append(',')
                .append(peak >> 20).append(',').append(heapBefore >> 20).append(',').append(puts).append(',')
                .append(skipped).append('\n');
    }

    /** The heap in use after a GC, with every heap pool's peak reset to it. */
    private static long settledHeap() {
        System.gc();
        long used = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                pool.resetPeakUsage();
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }

    /**
     * {@code POST /jmh/tag-invalidation?entries=10000&rounds=20}: the cost of invalidating one tag that
     * {@code entries} entries carry (all in the near and cluster layers), timed by wall clock per invalidation,
     * against invalidating one key in the same run; with the cluster operations each made (sets on the tags' map
     * and messages published, from Hazelcast's own statistics of this single member), and whether the entries
     * were then dropped. Answers CSV: what, entries, rounds, median microseconds, max microseconds, map sets per
     * invalidation, messages per invalidation, entries read back that loaded again.
     */
    @POST
    @Path("tag-invalidation")
    @Produces(MediaType.TEXT_PLAIN)
    public synchronized String tagInvalidation(@QueryParam("entries") @DefaultValue("10000") int entries,
                                               @QueryParam("rounds") @DefaultValue("20") int rounds) throws Exception {
        if (entries < 1 || entries > 20_000 || rounds < 1 || rounds > 100) {
            throw new jakarta.ws.rs.BadRequestException("entries must be 1 to 20000, rounds 1 to 100");
        }
        com.hazelcast.core.HazelcastInstance hazelcast = (com.hazelcast.core.HazelcastInstance)
                new javax.naming.InitialContext().lookup("payara/Hazelcast");
        com.hazelcast.map.IMap<String, Long> versions = hazelcast.getMap("layered-cache-tag-versions");
        com.hazelcast.topic.ITopic<byte[]> topic = hazelcast.getTopic("layered-cache-invalidations");
        StringBuilder csv = new StringBuilder("what,entries,rounds,medianMicros,maxMicros,mapSetsEach,messagesEach,"
                + "reloadedAfter\n");
        long[] tagTimes = new long[rounds];
        long[] keyTimes = new long[rounds];
        long sets = versions.getLocalMapStats().getSetOperationCount();
        long messages = topic.getLocalTopicStats().getPublishOperationCount();
        long reloaded = 0;
        for (int round = 0; round < rounds; round++) {
            for (long id = 0; id < entries; id++) {
                injectedItems.wide(id);                        // cached near and in the cluster, with the tag
            }
            long loads = admin.statistics("bench-tag-wide").loads();
            long started = System.nanoTime();
            injectedItems.invalidateWide();
            tagTimes[round] = System.nanoTime() - started;
            for (long id = 0; id < entries; id += Math.max(1, entries / 10)) {
                injectedItems.wide(id);
            }
            reloaded += admin.statistics("bench-tag-wide").loads() - loads;
        }
        long tagSets = versions.getLocalMapStats().getSetOperationCount() - sets;
        long tagMessages = topic.getLocalTopicStats().getPublishOperationCount() - messages;
        sets = versions.getLocalMapStats().getSetOperationCount();
        messages = topic.getLocalTopicStats().getPublishOperationCount();
        for (int round = 0; round < rounds; round++) {
            injectedItems.wide(round);
            long started = System.nanoTime();
            injectedItems.invalidateOneWide(round);
            keyTimes[round] = System.nanoTime() - started;
        }
        long keySets = versions.getLocalMapStats().getSetOperationCount() - sets;
        long keyMessages = topic.getLocalTopicStats().getPublishOperationCount() - messages;
        timesLine(csv, "one tag", entries, tagTimes, tagSets, tagMessages, reloaded);
        timesLine(csv, "one key (baseline)", 1, keyTimes, keySets, keyMessages, -1);
        admin.invalidateAll("bench-tag-wide");
        return csv.toString();
    }

    private static void timesLine(StringBuilder csv, String what, int entries, long[] nanos, long sets,
                                  long messages, long reloaded) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        csv.append(what).append(',').append(entries).append(',').append(nanos.length).append(',')
                .append(sorted[sorted.length / 2] / 1_000).append(',').append(sorted[sorted.length - 1] / 1_000)
                .append(',').append(String.format(java.util.Locale.ROOT, "%.2f", (double) sets / nanos.length))
                .append(',').append(String.format(java.util.Locale.ROOT, "%.2f", (double) messages / nanos.length))
                .append(',').append(reloaded < 0 ? "" : String.valueOf(reloaded)).append('\n');
    }

    @Inject
    org.layeredcache.Counters injectedCounters;

    @Inject
    BenchViews injectedViews;

    private static volatile org.layeredcache.Counters counters;
    private static volatile BenchViews views;

    static org.layeredcache.Counters counters() {
        return counters;
    }

    static BenchViews views() {
        return views;
    }

    /**
     * {@code POST /jmh/counters?threads=32&iterations=3&seconds=5}: {@link CounterBenchmarks}, throughput with
     * {@code threads} threads; afterwards waits (at most 60 s) until the flushes have persisted every addition of
     * both counters, and appends what the database holds against what was added, the flushes' statements, and the
     * flush lag of the sampled additions (from an addition's return to the end of the first flush call that began after it).
     */
    @POST
    @Path("counters")
    @Produces(MediaType.TEXT_PLAIN)
    public synchronized String counters(@QueryParam("threads") @DefaultValue("32") int threads,
                                        @QueryParam("iterations") @DefaultValue("3") int iterations,
                                        @QueryParam("seconds") @DefaultValue("5") int seconds) throws Exception {
        if (threads < 1 || threads > 64 || iterations < 1 || iterations > 10 || seconds < 1 || seconds > 30) {
            throw new jakarta.ws.rs.BadRequestException("threads 1 to 64, iterations 1 to 10, seconds 1 to 30");
        }
        counters = injectedCounters;
        views = injectedViews;
        injectedViews.reset();
        CounterBenchmarks.ADDED.reset();
        CounterBenchmarks.DIRECT.reset();
        CounterBenchmarks.HELD.reset();
        CounterBenchmarks.SAMPLES.clear();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(CounterBenchmarks.class.getName())
                .forks(0)
                .threads(threads)
                .warmupIterations(iterations)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .mode(org.openjdk.jmh.annotations.Mode.Throughput)
                .timeUnit(TimeUnit.SECONDS)
                .build()).run();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long pending = 1;
        long heldPending = 1;
        while (pending + heldPending != 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            pending = 0;
            heldPending = 0;
            for (long key = 1; key <= BenchViews.KEYS; key++) {
                pending += injectedCounters.pending(BenchViews.COUNTER, key);
                heldPending += injectedCounters.pending(BenchViews.HELD, key);
            }
        }
        long[] totals = injectedViews.totals();
        java.util.List<long[]> flushes = new java.util.ArrayList<>(BenchViews.FLUSHES);
        flushes.sort(java.util.Comparator.comparingLong(flush -> flush[0]));
        java.util.List<Long> lags = new java.util.ArrayList<>();
        for (long returned : CounterBenchmarks.SAMPLES) {
            flushes.stream().filter(flush -> flush[0] > returned).findFirst()
                    .ifPresent(flush -> lags.add(flush[1] - returned));
        }
        java.util.Collections.sort(lags);
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        ResultFormatFactory.getInstance(ResultFormatType.CSV, new PrintStream(csv, true, StandardCharsets.UTF_8))
                .writeOut(results);
        long added = CounterBenchmarks.ADDED.sum();
        return csv.toString(StandardCharsets.UTF_8)
                + "# added " + added + " persisted " + totals[0] + " pending " + pending + "\n"
                + "# direct " + CounterBenchmarks.DIRECT.sum() + " in the database " + totals[1] + "\n"
                + "# held added " + CounterBenchmarks.HELD.sum() + " persisted " + totals[2] + " pending "
                + heldPending + "\n"
                + "# flush calls " + BenchViews.FLUSH_CALLS.get() + " statements " + BenchViews.FLUSH_STATEMENTS.get()
                + "\n"
                + "# lag samples " + lags.size() + " p50 " + millis(lags, 0.5) + " p99 " + millis(lags, 0.99)
                + " max " + millis(lags, 1.0) + "\n";
    }

    private static String millis(java.util.List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return String.format(java.util.Locale.ROOT, "%.1f", sorted.get(Math.max(0, index)) / 1e6);
    }

    @POST
    @Produces(MediaType.TEXT_PLAIN)
    public synchronized String run(@QueryParam("iterations") @DefaultValue("5") int iterations,
                                   @QueryParam("seconds") @DefaultValue("2") int seconds,
                                   @QueryParam("benchmarks") @DefaultValue("HitBenchmarks") String benchmarks)
            throws RunnerException {
        if (!benchmarks.matches("[A-Za-z]+(\\.[A-Za-z]+)?")) {
            throw new jakarta.ws.rs.BadRequestException("benchmarks must name a benchmark class, such as"
                    + " HitBenchmarks, or one benchmark, such as HitBenchmarks.clusterLayerHit");
        }
        items = injectedItems;
        statelessItems = injectedStatelessItems;
        standardItems = injectedStandardItems;
        if (benchmarks.startsWith("ManyKeysBenchmarks")) {
            manyKeysCheck(injectedItems);
        }
        requestContexts = injectedRequestContexts;
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(HitBenchmarks.class.getPackageName() + "." + benchmarks)
                .forks(0)
                .threads(1)
                .warmupIterations(iterations)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .build()).run();
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        ResultFormatFactory.getInstance(ResultFormatType.CSV, new PrintStream(csv, true, StandardCharsets.UTF_8))
                .writeOut(results);
        StringBuilder answer = new StringBuilder(csv.toString(StandardCharsets.UTF_8));
        for (String line : CodecBenchmarks.sizes()) {
            answer.append("# stored ").append(line).append('\n');
        }
        if (benchmarks.startsWith("ManyKeysBenchmarks")) {
            answer.append(manyKeysFacts);
        }
        return answer.toString();
    }
}
