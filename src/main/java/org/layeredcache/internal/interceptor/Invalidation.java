package org.layeredcache.internal.interceptor;

import org.layeredcache.internal.key.KeyTemplate;

/**
 * One {@code @Invalidates} of a method, parsed and checked once at deployment.
 *
 * @param cache the cache's name
 * @param key   the key template, or {@code null} for all entries
 */
record Invalidation(String cache, KeyTemplate key) {

    boolean allEntries() {
        return key == null;
    }
}
