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
    private static volatile Instance<RequestContextController> requestContexts;

    @Inject
    Items injectedItems;

    @Inject
    StatelessItems injectedStatelessItems;

    @Inject
    Instance<RequestContextController> injectedRequestContexts;

    static Items items() {
        return items;
    }

    static StatelessItems statelessItems() {
        return statelessItems;
    }

    static RequestContextController requestContext() {
        return requestContexts.get();
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
        return answer.toString();
    }
}
