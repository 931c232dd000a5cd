package org.layeredcache.internal.load;

import org.layeredcache.internal.key.CacheKey;

import java.util.List;
import java.util.Map;

/** Loads the values of many keys with one call of a method: their values by key; a key left out has no value. */
@FunctionalInterface
public interface BulkLoader {

    /**
     * @param keys the keys to load, distinct
     * @throws Exception whatever the method throws
     */
    Map<CacheKey, Object> load(List<CacheKey> keys) throws Exception;
}
