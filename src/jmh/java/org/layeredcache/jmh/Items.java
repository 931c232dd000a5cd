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

    /** As {@link #nearLayer}, with a condition decided per call and an unless decided per load. */
    /** The near layer of a cache the consistency auditor checks (one entry per second, configured). */
    @CachedRead(cache = "bench-audited", key = "item-{id}")
    public Item nearLayerAudited(long id) {
        return load(id);
    }

    @CachedRead(cache = "bench-near", key = "conditional-{id}", condition = "id > 0", unless = "result == null")
    public Item nearLayerConditional(long id) {
        return load(id);
    }

    @CachedRead(cache = "bench-cluster", key = "item-{id}")
    public Item clusterLayer(long id) {
        return load(id);
    }

    /** The same as {@link #clusterLayer}, its values written in Java serialization instead of Apache Fory. */
    @CachedRead(cache = "bench-cluster-java", key = "item-{id}")
    public Item clusterLayerJavaForm(long id) {
        return load(id);
    }

    private final java.util.concurrent.atomic.AtomicLong manyCalls = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong manyIds = new java.util.concurrent.atomic.AtomicLong();

    /** One item of the many-keys cache, in the same entries as {@link #itemsOf}. */
    @CachedRead(cache = "bench-many", key = "item-{id}")
    public Item itemOf(long id) {
        return load(id);
    }

    /** Many items at once (per-element caching); counts its calls and the ids they were given. */
    @CachedRead(cache = "bench-many", key = "item-{ids}", each = "ids")
    public java.util.Map<Long, Item> itemsOf(java.util.List<Long> ids) {
        manyCalls.incrementAndGet();
        manyIds.addAndGet(ids.size());
        java.util.Map<Long, Item> found = new java.util.HashMap<>();
        ids.forEach(id -> found.put(id, load(id)));
        return found;
    }

    @org.layeredcache.Invalidates(cache = "bench-many", key = "item-{id}")
    public void drop(long id) {
        // the entry is dropped from every layer by the annotation
    }

    /** Calls of {@link #itemsOf} so far, and the ids they were given. */
    public long[] manyCounts() {
        return new long[] {manyCalls.get(), manyIds.get()};
    }

    /** As {@link #nearLayer}, with two tags to check on every hit. */
    @CachedRead(cache = "bench-tagged", key = "item-{id}", tags = {"item-{id}", "items"})
    public Item nearLayerTagged(long id) {
        return load(id);
    }

    /**
     * As {@link #nearLayer}, with eleven tags: what an entry built from ten JPA entities of one type carries (ten
     * entity tags and the type's, checked on a hit as any tag is), so it stands for one.
     */
    @CachedRead(cache = "bench-tagged", key = "ten-{id}", tags = {"e0-{id}", "e1-{id}", "e2-{id}", "e3-{id}",
            "e4-{id}", "e5-{id}", "e6-{id}", "e7-{id}", "e8-{id}", "e9-{id}", "entity-type"})
    public Item nearLayerTenTags(long id) {
        return load(id);
    }

    /** Entries that all carry the one tag "wide". */
    @CachedRead(cache = "bench-tag-wide", key = "wide-{id}", tags = "wide")
    public Item wide(long id) {
        return load(id);
    }

    /** Drops every entry of {@link #wide}: one tag. */
    @org.layeredcache.Invalidates(tags = "wide")
    public void invalidateWide() {
        // the annotation is the work
    }

    /** Drops one entry of {@link #wide} by its key: the baseline. */
    @org.layeredcache.Invalidates(cache = "bench-tag-wide", key = "wide-{id}")
    public void invalidateOneWide(long id) {
        // the annotation is the work
    }

    @CacheResult(cacheName = "bench-payara")
    public Item payaraCacheResult(@CacheKey long id) {
        return load(id);
    }
}
