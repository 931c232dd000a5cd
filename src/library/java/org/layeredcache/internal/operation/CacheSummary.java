package org.layeredcache.internal.operation;

import org.layeredcache.internal.config.CacheSettings;
import org.layeredcache.internal.config.EntryTimes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The start-up summary: one line per cache with its layers, times and sizes, and where each came from (the
 * annotation, the cache's or the shared configuration, or the built-in default), so that an operator sees what
 * the deployment will do without reading code.
 */
final class CacheSummary {

    private CacheSummary() {
    }

    /** One line for {@code cache}, whose reads are {@code reads}. */
    static String line(CacheSettings cache, Collection<ReadOperation> reads) {
        if (!cache.enabled()) {
            return "Cache '" + cache.cache() + "': off (" + origin(cache, "enabled") + "); its methods simply run";
        }
        List<String> layers = new ArrayList<>();
        if (cache.requestEnabled()) {
            layers.add("request");
        }
        if (cache.nearEnabled()) {
            layers.add("near (" + cache.nearMaxSize() + " entries [" + origin(cache, "near.max-size") + "], "
                    + size(cache.nearMaxBytes()) + " [" + origin(cache, "near.max-bytes") + "], ttl at most "
                    + duration(cache.nearTtl()) + " [" + origin(cache, "near.ttl") + "])");
        }
        if (cache.clusterEnabled()) {
            layers.add("cluster (" + cache.clusterMaxSize() + " entries per member [" + origin(cache, "cluster.max-size")
                    + "], values up to " + size(cache.maxValueSize()) + " [" + origin(cache, "cluster.max-value-size")
                    + "], written as " + cache.valueForm().name().toLowerCase(java.util.Locale.ROOT) + " ["
                    + origin(cache, "cluster.value-form") + "], deflated above " + size(cache.compressAbove()) + " ["
                    + origin(cache, "cluster.compress-above")
                    + "], timeout " + duration(cache.clusterTimeout()) + " [" + origin(cache, "cluster.timeout")
                    + "], retry after " + duration(cache.clusterRetryAfter()) + " [" + origin(cache, "cluster.retry-after")
                    + "], load lease " + duration(cache.loadLease()) + " [" + origin(cache, "cluster.load-lease") + "])");
        }
        StringBuilder line = new StringBuilder("Cache '" + cache.cache() + "': layers " + String.join(", ", layers)
                + "; load.wait " + duration(cache.loadWait()) + " [" + origin(cache, "load.wait") + "]");
        for (ReadOperation read : reads) {
            EntryTimes times = cache.resolve(read.times());
            line.append("; ").append(read.method().getDeclaringClass().getSimpleName()).append('#')
                    .append(read.method().getName()).append(" ttl ").append(duration(times.ttl())).append(" [")
                    .append(cache.ttl().isPresent() ? origin(cache, "ttl") : "annotation or its default").append(']');
            if (times.refreshes()) {
                line.append(", refreshAfter ").append(duration(times.refreshAfter())).append(" [")
                        .append(cache.refreshAfter().isPresent() ? origin(cache, "refresh-after") : "annotation")
                        .append(']');
            }
            if (!times.staleIfError().isZero()) {
                line.append(", staleIfError ").append(duration(times.staleIfError())).append(" [")
                        .append(cache.staleIfError().isPresent() ? origin(cache, "stale-if-error") : "annotation")
                        .append(']');
            }
        }
        return line.toString();
    }

    private static String origin(CacheSettings cache, String setting) {
        Map<String, String> configured = cache.configured();
        return configured.containsKey(setting) ? configured.get(setting) : "default";
    }

    private static String duration(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String size(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " bytes";
    }
}
