package org.layeredcache.internal.interceptor;

import org.layeredcache.internal.key.KeyTemplate;

/**
 * What one {@code @RequestCached} method does, parsed and checked once at deployment.
 *
 * @param namespace where the method's results live in the request layer, unique per method
 * @param key       all parameters
 */
record MemoOperation(String namespace, KeyTemplate key) {
}
