package org.layeredcache.internal.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The caches a deployment declares, each with its settings, as found when the application started, and those a
 * JSR-107 cache resolver names at run time, read when first used. Thread-safe.
 * Internal: not part of the API.
 */
public final class CacheCatalog {

    private final Map<String, CacheSettings> settings;
    private final Set<Class<?>> keyTypes;
    private final String serialFilter;
    private final boolean tracksEntities;
    private final java.time.Duration heartbeat;
    private final java.util.function.Function<String, CacheSettings> late;
    private final Map<String, CacheSettings> lateSettings = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param settings       each declared cache's settings
     * @param keyTypes       the types of every key placeholder value the deployment declares
     * @param serialFilter   the configured pattern for values read from the cluster, or {@code null}
     * @param tracksEntities whether some read of the deployment tracks JPA entities (configuration applied)
     * @param heartbeat      how often each node tells the others the number of its last invalidation message
     * @param late           the settings of a cache named only at run time (by a JSR-107 cache resolver), read
     *                       when it is first used; {@code null} when the deployment has no such cache
     */
    public CacheCatalog(Map<String, CacheSettings> settings, Set<Class<?>> keyTypes, String serialFilter,
                        boolean tracksEntities, java.time.Duration heartbeat,
                        java.util.function.Function<String, CacheSettings> late) {
        this.settings = Map.copyOf(settings);
        this.keyTypes = Set.copyOf(keyTypes);
        this.serialFilter = serialFilter;
        this.tracksEntities = tracksEntities;
        this.heartbeat = heartbeat;
        this.late = late;
    }

    /**
     * The configured {@code layered-cache.invalidation.heartbeat}: how often each node tells the others the number
     * of its last invalidation message, so that a lost one is noticed within about this time.
     */
    public java.time.Duration heartbeat() {
        return heartbeat;
    }

    /** Whether some read of the deployment tracks JPA entities, so that entity changes must be told. */
    public boolean tracksEntities() {
        return tracksEntities;
    }

    /**
     * The configured {@code layered-cache.serialization.filter}: a pattern in the syntax of
     * {@link java.io.ObjectInputFilter.Config#createFilter}, asked before the built-in rules about values read from
     * the cluster.
     */
    public Optional<String> serialFilter() {
        return Optional.ofNullable(serialFilter);
    }

    /** The types of every key placeholder value the deployment declares. */
    public Set<Class<?>> keyTypes() {
        return keyTypes;
    }

    /** The caches declared, and those named at run time so far. */
    public Set<String> names() {
        TreeMap<String, CacheSettings> all = new TreeMap<>(settings);
        all.putAll(lateSettings);
        return all.keySet();
    }

    /**
     * The settings of a declared cache, or of one a JSR-107 cache resolver named at run time.
     *
     * @throws IllegalArgumentException if no annotation of the deployment names the cache
     */
    public CacheSettings settings(String cache) {
        CacheSettings found = settings.get(cache);
        if (found == null && late != null) {
            found = lateSettings.computeIfAbsent(cache, late);
        }
        if (found == null) {
            throw new IllegalArgumentException("No @CachedRead or @Invalidates names the cache '" + cache
                    + "'; the caches of this deployment are " + names());
        }
        return found;
    }
}
