package org.layeredcache.internal.layer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the current request holds of one namespace (a cache, or one {@code @RequestCached} method): the first
 * layer of every read. {@link #NONE} stands for "no request context is active": it holds nothing and keeps
 * nothing. Instances may be kept after the request (by a transaction callback) without touching the request
 * context. Thread-safe.
 */
public final class RequestEntries {

    /** Outside a request: nothing is held, nothing kept. */
    public static final RequestEntries NONE = new RequestEntries(null);

    private final Map<Object, Object> entries;

    private RequestEntries(Map<Object, Object> entries) {
        this.entries = entries;
    }

    static RequestEntries create() {
        return new RequestEntries(new ConcurrentHashMap<>());
    }

    /** The stored form held for the key, or {@code null}. */
    public Object get(Object key) {
        return entries == null ? null : entries.get(key);
    }

    public void remember(Object key, Object stored) {
        if (entries != null) {
            entries.put(key, stored);
        }
    }

    public void forget(Object key) {
        if (entries != null) {
            entries.remove(key);
        }
    }

    /** Forgets the key only if it still holds {@code stored} (a later read's value stays). */
    public void forget(Object key, Object stored) {
        if (entries != null) {
            entries.remove(key, stored);
        }
    }

    /** Forgets every entry that carries one of {@code tags} ({@link Tagged}). */
    public void forgetTagged(java.util.Set<String> tags) {
        if (entries != null) {
            entries.values().removeIf(stored -> stored instanceof Tagged tagged
                    && java.util.Arrays.stream(tagged.tags()).anyMatch(tags::contains));
        }
    }

    public void forgetAll() {
        if (entries != null) {
            entries.clear();
        }
    }
}
