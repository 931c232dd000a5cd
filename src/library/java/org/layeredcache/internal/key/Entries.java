package org.layeredcache.internal.key;

import java.util.Objects;

/** What an invalidation drops: the entry of one key, or every entry of a cache. */
public sealed interface Entries permits Entries.One, Entries.All {

    /** Every entry of the cache. */
    Entries ALL = new All();

    /** The entry of {@code key}. */
    static Entries one(CacheKey key) {
        return new One(Objects.requireNonNull(key, "key"));
    }

    /** The entry of one key. */
    record One(CacheKey key) implements Entries {
    }

    /** Every entry of the cache. */
    record All() implements Entries {
    }
}
