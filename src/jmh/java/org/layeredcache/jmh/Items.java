package org.layeredcache.jmh;

import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.CachedRead;

import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheResult;
import java.io.Serializable;

/**
 * One bean, the same data, every way of reading it: no interceptor, a no-op interceptor, a hit in each of the
 * library's layers, and Payara's own JSR-107 {@code @CacheResult}. The caches are set up in
 * microprofile-config.properties so that each method's hits come from exactly one layer.
 */
@ApplicationScoped
public class Items {

    /** A 2 KB value, like the story's objects. */
    public record Item(long id, String body) implements Serializable {
    }

    static Item load(long id) {
        return new Item(id, "x".repeat(2048));
    }

    public Item plain(long id) {
        return load(id);
    }

    @Passthrough
    public Item passthrough(long id) {
        return load(id);
    }

    @CachedRead(cache = "bench-request", key = "item-{id}")
    public Item requestLayer(long id) {
        return load(id);
    }

    @CachedRead(cache = "bench-near", key = "item-{id}")
    public Item nearLayer(long id) {
        return load(id);
    }

    @CachedRead(cache = "bench-cluster", key = "item-{id}")
    public Item clusterLayer(long id) {
        return load(id);
    }

    @CacheResult(cacheName = "bench-payara")
    public Item payaraCacheResult(@CacheKey long id) {
        return load(id);
    }
}
