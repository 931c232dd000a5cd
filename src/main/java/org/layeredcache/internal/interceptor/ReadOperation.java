package org.layeredcache.internal.interceptor;

import org.layeredcache.internal.key.KeyTemplate;

import java.time.Duration;

/**
 * What one {@code @CachedRead} method does, parsed and checked once at deployment.
 *
 * @param cache    the cache's name
 * @param key      the key template
 * @param ttl      the annotated time to live (configuration may override it)
 * @param optional whether the method returns {@code Optional}, stored unwrapped
 */
record ReadOperation(String cache, KeyTemplate key, Duration ttl, boolean optional) {
}
