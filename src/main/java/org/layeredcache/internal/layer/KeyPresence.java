package org.layeredcache.internal.layer;

/**
 * Where one key of one cache is on this node, for operators.
 *
 * @param cache          the cache
 * @param key            the key as it renders
 * @param near           {@code present}, {@code absent} or {@code off} (no near layer)
 * @param nearAgeMillis  how long ago the near entry's value was loaded, or {@code null}
 * @param cluster        {@code present}, {@code absent}, {@code being loaded} (a load's claim), {@code unreachable}
 *                       or {@code off}
 * @param clusterAgeMillis how long ago the cluster entry was written, or {@code null}
 */
public record KeyPresence(String cache, String key, String near, Long nearAgeMillis, String cluster,
                          Long clusterAgeMillis) {
}
