package org.layeredcache.internal.layer;

import org.layeredcache.internal.stats.CacheCounters;
import org.layeredcache.internal.stats.Recordings;

import java.util.function.BooleanSupplier;

/**
 * One cache's layers on this node and what works beside them, as its reads, refreshes and preloads share them:
 * the near layer and the guarded cluster layer (each an object that answers "absent" when the cache has none),
 * the transaction timing, the counters and the recordings. Its parts are thread-safe.
 *
 * @param cache              the cache's name
 * @param hearsInvalidations whether this node hears the other nodes' invalidations now (see {@link #nearNow()})
 * @param tags               the versions of every tag, which tell whether a tagged entry is still current
 */
public record Layers(String cache, NearLayer near, GuardedCluster cluster, Transactions transactions,
                     CacheCounters counters, Recordings recordings, BooleanSupplier hearsInvalidations,
                     TagVersions tags) {

    /**
     * The near layer a read may use now: absent while this node does not yet hear the other nodes' invalidations
     * (it would not learn of their writes).
     */
    public NearLayer nearNow() {
        return hearsInvalidations.getAsBoolean() ? near : NearLayer.absent();
    }

    /** Whether no tag of a stored form was invalidated since it was loaded (true for an untagged one). */
    public boolean current(Object stored) {
        if (tags.current(stored, counters)) {
            return true;
        }
        counters.droppedByTag();
        return false;
    }

    /**
     * As {@link #current}, asked of the cluster's versions: whether a load may publish, and whether what it
     * published may stay.
     */
    public boolean currentInCluster(Object stored) {
        return tags.currentInCluster(stored, counters);
    }

    /** As {@link #currentInCluster}, asked now and answered later ({@link TagVersions.Check#current}). */
    public TagVersions.Check askCurrentInCluster(Object stored) {
        return tags.askCurrentInCluster(stored);
    }

    /**
     * The keys among {@code stored} whose stored form is no longer current in the cluster, asked now (all at once)
     * and answered later ({@link TagVersions.StaleCheck#stale}).
     */
    public <K> TagVersions.StaleCheck<K> askStaleInCluster(java.util.Map<K, Object> stored) {
        return tags.askStaleInCluster(stored);
    }

    /** The stored form of a load's result, carrying {@code tags} at the versions taken before it began. */
    public Object stored(Object result, String[] tags, long[] versions) {
        return TagVersions.tag(NullValue.wrap(result), tags, versions);
    }

    /**
     * Runs a load's method and answers the stored form of its result, carrying {@code tags} at their versions from
     * before it began; with {@code trackEntities}, also the tags of the JPA entities it read
     * ({@link EntityDependencies}).
     *
     * @throws Exception whatever the method throws, unchanged
     */
    public Object load(java.util.concurrent.Callable<Object> method, java.util.function.Supplier<String[]> tagsOfCall,
                       boolean trackEntities) throws Exception {
        return load(method, ask(tagsOfCall), trackEntities);
    }

    /**
     * As {@link #load(java.util.concurrent.Callable, java.util.function.Supplier, boolean)}, with the versions of
     * the call's tags asked already ({@link #ask}), before the load's other cluster operations were sent.
     *
     * @throws Exception whatever the method throws, unchanged
     */
    public Object load(java.util.concurrent.Callable<Object> method, TagVersions.Asked asked, boolean trackEntities)
            throws Exception {
        String[] tags = asked.tags();
        long[] versions = versions(asked);
        if (!trackEntities) {
            return stored(method.call(), tags, versions);
        }
        Object result;
        java.util.Map<String, Long> entities;
        try (EntityDependencies.Recording recording = recordEntities()) {
            result = method.call();
            entities = recording.tags();
        }
        return stored(result, tags, versions, entities);
    }

    /** Starts recording the JPA entities this thread reads, for a load that tracks them; close it after the load. */
    public EntityDependencies.Recording recordEntities() {
        return EntityDependencies.start(this.tags, counters);
    }

    /**
     * The stored form of {@code result}, carrying {@code tags} at {@code versions} and the recorded entities' tags
     * at theirs ({@code entities}, tag to version; a tag named in both keeps its version from {@code tags}).
     */
    public Object stored(Object result, String[] tags, long[] versions, java.util.Map<String, Long> entities) {
        if (entities.isEmpty()) {
            return stored(result, tags, versions);
        }
        java.util.Map<String, Long> all = new java.util.LinkedHashMap<>();
        for (int i = 0; i < tags.length; i++) {
            all.put(tags[i], versions[i]);
        }
        entities.forEach(all::putIfAbsent);
        return stored(result, all.keySet().toArray(new String[0]),
                all.values().stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * The call's tags, rendered, and their versions asked, for a load about to begin: what this node knows at
     * once, the rest of the cluster without waiting (see {@link #versions(TagVersions.Asked)}).
     */
    public TagVersions.Asked ask(java.util.function.Supplier<String[]> tagsOfCall) {
        return ask(rendered(tagsOfCall));
    }

    /** As {@link #ask(java.util.function.Supplier)}, for tags rendered already. */
    public TagVersions.Asked ask(String[] tags) {
        return this.tags.ask(tags);
    }

    /**
     * A read's tags, rendered when its load needs them (a hit never does); a tag that cannot be rendered is
     * counted as a fault and stands as one no version matches, so the value is returned and never served again.
     */
    public String[] rendered(java.util.function.Supplier<String[]> tags) {
        try {
            return tags.get();
        } catch (RuntimeException e) {
            counters.fault("rendering the tags", e);
            return new String[] {UNRENDERED};
        }
    }

    /** The tag of a value whose tags could not be rendered: it is never current. */
    static final String UNRENDERED = "layered-cache:unrendered-tag";

    /** The versions {@link #ask} asked, waited for within the cluster timeout; an unrendered tag has none. */
    public long[] versions(TagVersions.Asked asked) {
        String[] tags = asked.tags();
        if (tags.length == 0) {
            return NO_VERSIONS;
        }
        long[] versions = this.tags.settle(asked, counters);
        for (int i = 0; i < tags.length; i++) {
            if (UNRENDERED.equals(tags[i])) {
                versions[i] = TagVersions.UNKNOWN;
            }
        }
        return versions;
    }

    private static final long[] NO_VERSIONS = new long[0];
}
