package org.layeredcache.internal.operation;

import org.layeredcache.internal.key.KeyTemplate;

/**
 * What one {@code @RequestCached} method does, parsed and checked once at deployment.
 *
 * @param namespace where the method's results live in the request layer, unique per method
 * @param key       all parameters
 */
public record MemoOperation(String namespace, KeyTemplate key) {
}
