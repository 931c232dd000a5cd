package org.layeredcache;

import java.util.Set;

/**
 * The handle for code that watches or steers the caches rather than using them: health pages, operators'
 * endpoints, tests that assert cache behaviour. Inject it: {@code @Inject CacheAdmin admin;}.
 * Thread-safe.
 */
public interface CacheAdmin {

    /** The caches that the deployment's annotations name, sorted. */
    Set<String> cacheNames();

    /**
     * What the cache did on this node. A cache never used yet reports zeros.
     *
     * @throws IllegalArgumentException if no annotation in the deployment names this cache
     */
    CacheStatistics statistics(String cache);

    /**
     * What the consistency auditor found for the cache on this node (all zeros while it is not audited, the
     * default; see {@link ConsistencyAudit}).
     *
     * @throws IllegalArgumentException if no annotation in the deployment names this cache
     */
    ConsistencyAudit audit(String cache);

    /**
     * Drops every entry of the cache from every layer on every node, like {@code @Invalidates(allEntries = true)}:
     * after the current transaction commits, or at once without one.
     *
     * @throws IllegalArgumentException if no annotation in the deployment names this cache
     */
    void invalidateAll(String cache);

    /**
     * Drops, in every cache and on every node, every entry built from an entity of this type
     * ({@link CachedRead#trackEntities()}), with the same timing: for the changes JPA does not see, such as a bulk
     * JPQL {@code UPDATE} or {@code DELETE}, native SQL, or another program writing the table. Costs one tag's
     * invalidation, however many entries were built from the type.
     *
     * @param entityType the entity class, as the JPA provider loads it
     */
    void invalidateEntityType(Class<?> entityType);

    /**
     * Starts recording which keys every cache reads, misses, writes and invalidates on this node, until the
     * recording is closed. Meant for tests; while no recording is open, nothing is recorded and nothing is paid.
     */
    CacheRecording startRecording();
}
