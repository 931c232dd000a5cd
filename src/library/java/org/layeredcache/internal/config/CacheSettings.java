package org.layeredcache.internal.config;

import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One cache's settings, read from MicroProfile Config when the application starts, so that operators change them
 * without recompiling. Each setting is looked up as {@code layered-cache.cache.<cache>.<setting>}, then
 * {@code layered-cache.default.<setting>}, then the built-in default; {@code layered-cache.enabled=false} turns
 * every cache off.
 *
 * @param cache            the cache's name
 * @param enabled          {@code enabled}: whether calls go through the layers at all (default true)
 * @param ttl              {@code ttl}: overrides every annotation's TTL for this cache (default: none)
 * @param requestEnabled   {@code request.enabled}: whether the request layer is used (default true)
 * @param nearEnabled      {@code near.enabled}: whether the near layer is used (default true)
 * @param nearMaxSize      {@code near.max-size}: entries kept per node (default 10000)
 * @param nearTtl          {@code near.ttl}: the longest an entry stays in the near layer (default 30s), which bounds
 *                         how long a lost invalidation message can leave a node stale
 * @param nearRenew        {@code near.renew}: whether a near copy read in the last fifth of its life is renewed from
 *                         the cluster in the background (default true)
 * @param clusterEnabled   {@code cluster.enabled}: whether the cluster layer is used (default true)
 * @param clusterMaxSize   {@code cluster.max-size}: entries kept per cluster member before eviction (default 100000)
 * @param loadLease        {@code cluster.load-lease}: how long a load may hold its claim on a key; a load that takes
 *                         longer is not published (default 30s)
 * @param clusterTimeout   {@code cluster.timeout}: how long one cluster operation may take before the call goes on
 *                         without the cluster (default 500ms)
 * @param clusterRetryAfter {@code cluster.retry-after}: after a cluster failure, how long the cache stays off the
 *                         cluster before it tries again (default 2s)
 * @param nearMaxBytes     {@code near.max-bytes}: about how many bytes of values the near layer keeps per node,
 *                         counted by their serialized size where known (default 64MB)
 * @param loadWait         {@code load.wait}: how long a caller waits for another caller's load of the same key,
 *                         on this node or another, before it loads by itself (default 5s)
 * @param maxValueSize     {@code cluster.max-value-size}: the largest entry the cluster layer takes; a larger value
 *                         is returned and kept near, but not in the cluster (default 1MB)
 * @param compressAbove    {@code cluster.compress-above}: values whose serialized form is larger are deflated in the
 *                         cluster (default 16KB)
 * @param valueForm        {@code cluster.value-form}: the form values are written in to the cluster, {@code fory}
 *                         (Apache Fory, the default) or {@code java} (Java serialization); every node reads both
 * @param valueFormWarmUp  {@code cluster.value-form.warm-up}: how many of the cluster's entries the node reads as
 *                         the application starts, to have Apache Fory's code for their classes generated before its
 *                         first request (default 16; 0: none)
 * @param staleIfError     {@code stale-if-error}: overrides every annotation's {@code staleIfError} (default: none)
 * @param refreshAfter     {@code refresh-after}: overrides every annotation's {@code refreshAfter} (default: none)
 * @param preloadOnStart   {@code preload.on-start}: whether the cache's {@code @Preloads} method runs once when the
 *                         application starts, on one node of the cluster (default false)
 * @param preloadChunkSize {@code preload.chunk-size}: how many entries a preload writes with one bulk put (default
 *                         500)
 * @param trackEntities    {@code track-entities}: overrides every annotation's {@code trackEntities} (default: none)
 * @param audit            the consistency auditor's settings for this cache ({@code audit.*}; off by default)
 * @param configured       each setting read from configuration, with the property it came from (a setting not
 *                         listed has its built-in default)
 */
public record CacheSettings(String cache, boolean enabled, Optional<Duration> ttl, boolean requestEnabled,
                            boolean nearEnabled, long nearMaxSize, Duration nearTtl, boolean nearRenew,
                            boolean clusterEnabled,
                            int clusterMaxSize, Duration loadLease, Duration clusterTimeout,
                            Duration clusterRetryAfter, long nearMaxBytes, Duration loadWait, int maxValueSize,
                            int compressAbove, ValueForm valueForm, int valueFormWarmUp,
                            Optional<Duration> staleIfError, Optional<Duration> refreshAfter, boolean preloadOnStart,
                            int preloadChunkSize, Optional<Boolean> trackEntities, Audit audit,
                            Map<String, String> configured) {

    /**
     * Whether and how the background consistency auditor checks this cache's entries against its method.
     *
     * @param enabled       {@code audit.enabled}: whether entries of this cache are checked (default false)
     * @param period        {@code audit.period}: one entry read on this node is checked per period, at most
     *                      (default 1s)
     * @param recheckAfter  {@code audit.recheck-after}: a difference is checked again after this while, so that a
     *                      write committed during the check (whose invalidation is on its way) is not counted as a
     *                      disagreement (default 1s)
     * @param dropDiverging {@code audit.drop-diverging}: whether an entry found to disagree is dropped everywhere
     *                      (default false: only counted and reported)
     */
    public record Audit(boolean enabled, Duration period, Duration recheckAfter, boolean dropDiverging) {

        /** No auditing. */
        public static final Audit OFF = new Audit(false, Duration.ofSeconds(1), Duration.ofSeconds(1), false);
    }

    static final String PREFIX = "layered-cache.";

    /**
     * Reads the settings of one cache. A value that cannot be read is reported to {@code problems}, naming the
     * property, and replaced by the default.
     */
    public static CacheSettings read(String cache, Config config, Consumer<String> problems) {
        Reader reader = new Reader(cache, config, problems, new TreeMap<>());
        boolean globallyEnabled = reader.global("enabled", CacheSettings::flag, true);
        return new CacheSettings(cache,
                globallyEnabled && reader.get("enabled", CacheSettings::flag, true),
                Optional.ofNullable(reader.get("ttl", Durations::parse, null)),
                reader.get("request.enabled", CacheSettings::flag, true),
                reader.get("near.enabled", CacheSettings::flag, true),
                reader.get("near.max-size", CacheSettings::positiveLong, 10_000L),
                reader.get("near.ttl", Durations::parse, Duration.ofSeconds(30)),
                reader.get("near.renew", CacheSettings::flag, true),
                reader.get("cluster.enabled", CacheSettings::flag, true),
                reader.get("cluster.max-size", text -> Math.toIntExact(positiveLong(text)), 100_000),
                reader.get("cluster.load-lease", Durations::parse, Duration.ofSeconds(30)),
                reader.get("cluster.timeout", Durations::parse, Duration.ofMillis(500)),
                reader.get("cluster.retry-after", Durations::parse, Duration.ofSeconds(2)),
                reader.get("near.max-bytes", ByteSizes::parse, 64L * 1024 * 1024),
                reader.get("load.wait", Durations::parse, Duration.ofSeconds(5)),
                reader.get("cluster.max-value-size", CacheSettings::intSize, 1024 * 1024),
                reader.get("cluster.compress-above", CacheSettings::intSize, 16 * 1024),
                reader.get("cluster.value-form", ValueForm::parse, ValueForm.FORY),
                reader.get("cluster.value-form.warm-up", CacheSettings::nonNegativeInt, 16),
                Optional.ofNullable(reader.get("stale-if-error", Durations::parse, null)),
                Optional.ofNullable(reader.get("refresh-after", Durations::parse, null)),
                reader.get("preload.on-start", CacheSettings::flag, false),
                reader.get("preload.chunk-size", text -> Math.toIntExact(positiveLong(text)), 500),
                Optional.ofNullable(reader.get("track-entities", CacheSettings::flag, null)),
                new Audit(reader.get("audit.enabled", CacheSettings::flag, false),
                        reader.get("audit.period", CacheSettings::positiveDuration, Duration.ofSeconds(1)),
                        reader.get("audit.recheck-after", Durations::parse, Duration.ofSeconds(1)),
                        reader.get("audit.drop-diverging", CacheSettings::flag, false)),
                Map.copyOf(reader.configured()));
    }

    /** The TTL an entry of a method with the given annotation TTL gets: the configured override wins. */
    public Duration ttlFor(Duration annotated) {
        return ttl.orElse(annotated);
    }

    /** Whether a read that says {@code annotated} tracks the JPA entities its loads read: configuration wins. */
    public boolean tracksEntities(boolean annotated) {
        return trackEntities.orElse(annotated);
    }

    /** A read's entry times as annotated, with this cache's configuration applied: the configuration wins. */
    public EntryTimes resolve(EntryTimes annotated) {
        return new EntryTimes(ttl.orElse(annotated.ttl()), refreshAfter.orElse(annotated.refreshAfter()),
                staleIfError.orElse(annotated.staleIfError()));
    }

    private static int intSize(String text) {
        long size = ByteSizes.parse(text);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is larger than 2GB");
        }
        return (int) size;
    }

    private static int nonNegativeInt(String text) {
        int value = Integer.parseInt(text.trim());
        if (value < 0) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        return value;
    }

    private static long positiveLong(String text) {
        long value = Long.parseLong(text.trim());
        if (value <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive number");
        }
        return value;
    }

    private static Duration positiveDuration(String text) {
        Duration duration = Durations.parse(text);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration");
        }
        return duration;
    }

    private static boolean flag(String text) {
        String trimmed = text.trim();
        if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("'" + text + "' is neither true nor false");
        }
        return Boolean.parseBoolean(trimmed);
    }

    private record Reader(String cache, Config config, Consumer<String> problems, Map<String, String> configured) {

        <T> T get(String setting, Function<String, T> parse, T fallback) {
            String own = PREFIX + "cache." + cache + "." + setting;
            String shared = PREFIX + "default." + setting;
            Optional<String> text = config.getOptionalValue(own, String.class);
            String property = own;
            if (text.isEmpty()) {
                text = config.getOptionalValue(shared, String.class);
                property = shared;
            }
            if (text.isEmpty()) {
                return fallback;
            }
            configured.put(setting, property);
            return parse(property, text.get(), parse, fallback);
        }

        <T> T global(String setting, Function<String, T> parse, T fallback) {
            String property = PREFIX + setting;
            return config.getOptionalValue(property, String.class)
                    .map(text -> parse(property, text, parse, fallback)).orElse(fallback);
        }

        private <T> T parse(String property, String text, Function<String, T> parse, T fallback) {
            try {
                return parse.apply(text);
            } catch (RuntimeException e) {
                problems.accept("configuration property " + property + " cannot be read: " + e.getMessage());
                return fallback;
            }
        }
    }
}
