package org.layeredcache.internal.cluster;

import com.hazelcast.map.IMap;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A map of strings that every node of the cluster sees (a Hazelcast {@code IMap}, obtained outside the
 * application's context as the caches are), or this node's alone when there is no cluster. Strings only, so
 * Hazelcast's threads never load an application class. Thread-safe.
 */
public final class SharedMap {

    private final IMap<String, String> cluster;
    private final Map<String, String> local;

    private SharedMap(IMap<String, String> cluster, Map<String, String> local) {
        this.cluster = cluster;
        this.local = local;
    }

    public static SharedMap of(IMap<String, String> cluster) {
        return new SharedMap(cluster, null);
    }

    public static SharedMap local() {
        return new SharedMap(null, new ConcurrentHashMap<>());
    }

    public String get(String key) {
        return cluster != null ? cluster.get(key) : local.get(key);
    }

    /** Stores {@code value}, to live {@code seconds} (0: until removed; only this node's map keeps it regardless). */
    public void put(String key, String value, long seconds) {
        if (cluster == null) {
            local.put(key, value);
        } else if (seconds > 0) {
            cluster.put(key, value, seconds, TimeUnit.SECONDS);
        } else {
            cluster.put(key, value);
        }
    }

    /** Stores {@code value} unless the key has one; the value it has, or {@code null} if this one was stored. */
    public String putIfAbsent(String key, String value) {
        return cluster != null ? cluster.putIfAbsent(key, value) : local.putIfAbsent(key, value);
    }

    /** As {@link #putIfAbsent(String, String)}, the value to live {@code seconds} (only in the cluster's map). */
    public String putIfAbsent(String key, String value, long seconds) {
        return cluster != null ? cluster.putIfAbsent(key, value, seconds, TimeUnit.SECONDS)
                : local.putIfAbsent(key, value);
    }

    public boolean remove(String key, String value) {
        return cluster != null ? cluster.remove(key, value) : local.remove(key, value);
    }

    public String remove(String key) {
        return cluster != null ? cluster.remove(key) : local.remove(key);
    }

    public List<String> values() {
        Collection<String> values = cluster != null ? cluster.values() : local.values();
        return List.copyOf(values);
    }
}
