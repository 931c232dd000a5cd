package org.layeredcache.example.redis;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Cache-aside over Redis, written by hand the way the team of story 1 did: look the key up in Redis, on a miss
 * load the value and store it as JSON for 24 hours. It exists to be measured against the annotations; it is off
 * unless {@code example.redis.enabled=true}.
 */
@ApplicationScoped
public class RedisCacheAside {

    private static final long TTL_SECONDS = Duration.ofHours(24).toSeconds();

    @Inject
    @ConfigProperty(name = "example.redis.enabled", defaultValue = "false")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "example.redis.host", defaultValue = "127.0.0.1")
    String host;

    @Inject
    @ConfigProperty(name = "example.redis.port", defaultValue = "6379")
    int port;

    private JedisPool pool;
    private final Jsonb json = JsonbBuilder.create();

    @PostConstruct
    void connect() {
        if (enabled) {
            JedisPoolConfig config = new JedisPoolConfig();
            config.setMaxTotal(64);
            config.setMaxIdle(64);
            pool = new JedisPool(config, host, port);
        }
    }

    @PreDestroy
    void disconnect() {
        if (pool != null) {
            pool.close();
        }
        try {
            json.close();
        } catch (Exception e) {
            throw new IllegalStateException("JSON-B did not close", e);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** The value under {@code key}, from Redis or, on a miss, from {@code load} (then stored in Redis). */
    public <T> T get(String key, Type type, Supplier<T> load) {
        try (Jedis redis = pool.getResource()) {
            String cached = redis.get(key);
            if (cached != null) {
                return json.fromJson(cached, type);
            }
            T value = load.get();
            if (value != null) {
                redis.setex(key, TTL_SECONDS, json.toJson(value, type));
            }
            return value;
        }
    }
}
