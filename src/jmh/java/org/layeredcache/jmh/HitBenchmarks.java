package org.layeredcache.jmh;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * One cache hit per call, per layer, against the same bean without caching. Runs inside Payara Micro (see
 * {@link BenchmarkResource}); the beans come from the application.
 */
public class HitBenchmarks {

    static final long ID = 42;

    /** The application's bean, warmed so that every cached method hits. */
    @State(Scope.Benchmark)
    public static class Application {
        Items items;
        StatelessItems ejb;
        StandardItems standard;

        @Setup(Level.Trial)
        public void warm() {
            items = BenchmarkResource.items();
            ejb = BenchmarkResource.statelessItems();
            standard = BenchmarkResource.standardItems();
            standard.find(ID);
            items.nearLayer(ID);
            items.nearLayerTagged(ID);
            items.nearLayerTenTags(ID);
            items.nearLayerConditional(ID);
            items.nearLayerAudited(ID);
            ejb.nearLayer(ID);
            items.clusterLayer(ID);
            items.clusterLayerJavaForm(ID);
            items.payaraCacheResult(ID);
        }
    }

    /** A request context on the benchmark thread, for the request layer. */
    @State(Scope.Thread)
    public static class Request {
        RequestContextController context;

        @Setup(Level.Trial)
        public void open(Application application) {
            context = BenchmarkResource.requestContext();
            if (!context.activate()) {
                throw new IllegalStateException("the benchmark thread already had a request context");
            }
            application.items.requestLayer(ID);
        }

        @TearDown(Level.Trial)
        public void close() {
            context.deactivate();
        }
    }

    /**
     * The hand-written alternative: the same item as JSON in Redis (127.0.0.1:6379), read with one GET on a pooled
     * connection and decoded with JSON-B, as the example's Redis cache-aside does.
     */
    @State(Scope.Thread)
    public static class Redis {
        JedisPool pool;
        Jedis connection;
        Jsonb json;
        String key;

        @Setup(Level.Trial)
        public void connect() {
            pool = new JedisPool("127.0.0.1", 6379);
            connection = pool.getResource();
            json = JsonbBuilder.create();
            key = "layered-cache-jmh-item-" + ID;
            connection.setex(key, 3600, json.toJson(Items.load(ID)));
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            connection.del(key);
            connection.close();
            pool.close();
            json.close();
        }
    }

    @Benchmark
    public Object redisGetAndJsonDecode(Redis redis) {
        return redis.json.fromJson(redis.connection.get(redis.key), Items.Item.class);
    }

    @Benchmark
    public Object plainCall(Application application) {
        return application.items.plain(ID);
    }

    @Benchmark
    public Object noOpInterceptor(Application application) {
        return application.items.passthrough(ID);
    }

    @Benchmark
    public Object requestLayerHit(Application application, Request request) {
        return application.items.requestLayer(ID);
    }

    @Benchmark
    public Object nearLayerHit(Application application) {
        return application.items.nearLayer(ID);
    }

    @Benchmark
    public Object nearLayerHitAudited(Application application) {
        return application.items.nearLayerAudited(ID);
    }

    @Benchmark
    public Object nearLayerHitTwoTags(Application application) {
        return application.items.nearLayerTagged(ID);
    }

    @Benchmark
    public Object standardCacheResultHit(Application application) {
        return application.standard.find(ID);
    }

    @Benchmark
    public Object nearLayerHitWithCondition(Application application) {
        return application.items.nearLayerConditional(ID);
    }

    @Benchmark
    public Object nearLayerHitTenTags(Application application) {
        return application.items.nearLayerTenTags(ID);
    }

    @Benchmark
    public Object nearLayerHitOnStatelessEjb(Application application) {
        return application.ejb.nearLayer(ID);
    }

    @Benchmark
    public Object clusterLayerHit(Application application) {
        return application.items.clusterLayer(ID);
    }

    @Benchmark
    public Object clusterLayerHitJavaForm(Application application) {
        return application.items.clusterLayerJavaForm(ID);
    }

    @Benchmark
    public Object payaraCacheResultHit(Application application) {
        return application.items.payaraCacheResult(ID);
    }
}
