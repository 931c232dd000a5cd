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

    /**
     * Locks {@code key} for the calling thread, waiting at most {@code waitMillis}; the lock is released by
     * {@link #unlock} on the same thread, after {@code leaseMillis} at the latest, or when this node leaves the
     * cluster. Writes of the key by others wait meanwhile. Whether the lock was taken.
     */
    public boolean tryLock(String key, long waitMillis, long leaseMillis) throws InterruptedException {
        if (cluster == null) {
            return localLocks.computeIfAbsent(key, k -> new java.util.concurrent.locks.ReentrantLock())
                    .tryLock(waitMillis, TimeUnit.MILLISECONDS);
        }
        return cluster.tryLock(key, waitMillis, TimeUnit.MILLISECONDS, leaseMillis, TimeUnit.MILLISECONDS);
    }

    /** Releases a lock the calling thread took with {@link #tryLock}. */
    public void unlock(String key) {
        if (cluster == null) {
            localLocks.get(key).unlock();
        } else {
            cluster.unlock(key);
        }
    }

    private final Map<String, java.util.concurrent.locks.ReentrantLock> localLocks = new ConcurrentHashMap<>();

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

    /** Replaces {@code expected} by {@code value}; false if the key holds something else or nothing. */
    public boolean replace(String key, String expected, String value) {
        return cluster != null ? cluster.replace(key, expected, value) : local.replace(key, expected, value);
    }

    /** Stores {@code value} without waiting; the stage completes once the cluster (with its backup) holds it. */
    public java.util.concurrent.CompletionStage<Void> setAsync(String key, String value) {
        if (cluster != null) {
            return Answers.of(cluster.setAsync(key, value));
        }
        local.put(key, value);
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** Removes the key without waiting; the stage completes once the cluster has removed it. */
    public java.util.concurrent.CompletionStage<Void> deleteAsync(String key) {
        if (cluster != null) {
            return Answers.of(cluster.removeAsync(key)).thenApply(removed -> null);
        }
        local.remove(key);
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** Stores every pair at once (one operation per member in the cluster). */
    public void putAll(Map<String, String> pairs) {
        if (cluster != null) {
            cluster.putAll(pairs);
        } else {
            local.putAll(pairs);
        }
    }

    /** The values of {@code keys} that are there. */
    public Map<String, String> getAll(java.util.Set<String> keys) {
        if (cluster != null) {
            return Map.copyOf(cluster.getAll(keys));
        }
        Map<String, String> found = new java.util.HashMap<>();
        keys.forEach(key -> {
            String value = local.get(key);
            if (value != null) {
                found.put(key, value);
            }
        });
        return found;
    }

    /** Every pair, a copy. */
    public Map<String, String> entries() {
        if (cluster != null) {
            Map<String, String> copy = new java.util.HashMap<>();
            cluster.entrySet().forEach(entry -> copy.put(entry.getKey(), entry.getValue()));
            return copy;
        }
        return Map.copyOf(local);
    }

    /**
     * The pairs whose value starts with {@code prefix}, found where they are kept (a query on every member, which
     * reads Hazelcast's own predicate and the strings only).
     */
    public Map<String, String> entriesWhoseValueStartsWith(String prefix) {
        Map<String, String> found = new java.util.HashMap<>();
        if (cluster != null) {
            com.hazelcast.query.Predicate<String, String> startsWith = com.hazelcast.query.Predicates.regex(
                    com.hazelcast.query.QueryConstants.THIS_ATTRIBUTE_NAME.value(),
                    java.util.regex.Pattern.quote(prefix) + ".*");
            cluster.entrySet(startsWith).forEach(entry -> found.put(entry.getKey(), entry.getValue()));
        } else {
            local.forEach((key, value) -> {
                if (value.startsWith(prefix)) {
                    found.put(key, value);
                }
            });
        }
        return found;
    }

    public List<String> values() {
        Collection<String> values = cluster != null ? cluster.values() : local.values();
        return List.copyOf(values);
    }
}
