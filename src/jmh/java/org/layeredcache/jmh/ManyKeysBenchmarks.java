package org.layeredcache.jmh;

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

import java.util.ArrayList;
import java.util.List;

/**
 * 100 ids of 2 KB items, 90 of them cached and 10 not (dropped from every layer before each call, outside the
 * timing): one per-element read ({@code @CachedRead(each)}) against a loop of 100 single cached reads of the same
 * entries, and against a Redis {@code MGET} of the same 100 items as JSON, decoded with JSON-B.
 */
public class ManyKeysBenchmarks {

    static final int IDS = 100;
    static final int MISSING = 10;

    /** The ids, and the 10 dropped before each call. */
    @State(Scope.Thread)
    public static class Keys {
        Items items;
        List<Long> ids;

        @Setup(Level.Trial)
        public void warm() {
            items = BenchmarkResource.items();
            ids = new ArrayList<>();
            for (long id = 1_000_000; id < 1_000_000 + IDS; id++) {
                ids.add(id);
            }
            items.itemsOf(ids);
        }

        @Setup(Level.Invocation)
        public void dropTen() {
            for (int i = 0; i < MISSING; i++) {
                items.drop(ids.get(i * (IDS / MISSING)));
            }
        }
    }

    /** The same 100 items as JSON in Redis (127.0.0.1:6379), on a pooled connection. */
    @State(Scope.Thread)
    public static class Redis {
        JedisPool pool;
        Jedis connection;
        Jsonb json;
        String[] keys;

        @Setup(Level.Trial)
        public void connect() {
            pool = new JedisPool("127.0.0.1", 6379);
            connection = pool.getResource();
            json = JsonbBuilder.create();
            keys = new String[IDS];
            for (int i = 0; i < IDS; i++) {
                keys[i] = "layered-cache-jmh-many-" + (1_000_000 + i);
                connection.setex(keys[i], 3600, json.toJson(Items.load(1_000_000 + i)));
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            connection.del(keys);
            connection.close();
            pool.close();
            json.close();
        }
    }

    @Benchmark
    public Object perElementRead(Keys keys) {
        return keys.items.itemsOf(keys.ids);
    }

    @Benchmark
    public Object loopOfSingleReads(Keys keys) {
        List<Items.Item> found = new ArrayList<>(IDS);
        for (long id : keys.ids) {
            found.add(keys.items.itemOf(id));
        }
        return found;
    }

    @Benchmark
    public Object redisMgetAndJsonDecode(Redis redis) {
        List<Items.Item> found = new ArrayList<>(IDS);
        for (String item : redis.connection.mget(redis.keys)) {
            found.add(redis.json.fromJson(item, Items.Item.class));
        }
        return found;
    }
}
