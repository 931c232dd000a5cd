package org.layeredcache;

import java.util.List;

/**
 * What the caches did on this node while the recording was open, key by key, for tests that assert cache
 * behaviour: which keys a call read, which missed every layer (so the method ran), which were written on the way
 * back, and which a write dropped. Keys are rendered as written in their template ({@code service-42}); an
 * invalidation of all entries is recorded as {@code *}. Started by {@link CacheAdmin#startRecording()}; close it
 * to stop recording. Thread-safe; lists are in the order things happened on this node.
 */
public interface CacheRecording extends AutoCloseable {

    /** Keys looked up in the cache, hit or miss. */
    List<String> reads(String cache);

    /** Keys that no layer had, so the method ran. */
    List<String> misses(String cache);

    /** Keys written to the layers after a miss (once the transaction committed). */
    List<String> writes(String cache);

    /** Keys dropped by writes on this node (once their transaction committed), {@code *} for all entries. */
    List<String> invalidations(String cache);

    /**
     * Tags invalidated by writes on this node (once their transaction committed), rendered
     * ({@code service-42}), whatever caches their entries are in.
     */
    List<String> tagInvalidations();

    /** Stops recording; what was recorded stays readable. */
    @Override
    void close();
}
