package org.layeredcache.internal.config;

import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.List;

/**
 * How the deployment's shared objects are persisted, read once from MicroProfile Config: every
 * {@code layered-cache.objects.store-period} (5s) by one node; the database should not fall behind the cluster by
 * more than {@code layered-cache.objects.max-lag} (1m; the readiness check says when it does); an object nobody
 * changed or read for {@code layered-cache.objects.idle} (10m) and that is persisted leaves the cluster's memory
 * (it is loaded again when needed); a write of changed objects that keeps meeting other nodes' writes gives up
 * after {@code layered-cache.objects.timeout} (5s).
 */
public record ObjectSettings(Duration storePeriod, Duration maxLag, Duration idle, Duration timeout) {

    static final String PREFIX = "layered-cache.objects.";

    /** Reads the settings, reporting each unreadable one (by its property name) to {@code problems}. */
    public static ObjectSettings read(Config config, List<String> problems) {
        return new ObjectSettings(
                Durations.read(config, PREFIX + "store-period", Duration.ofSeconds(5), Duration.ofMillis(50), problems),
                Durations.read(config, PREFIX + "max-lag", Duration.ofMinutes(1), Duration.ofMillis(100), problems),
                Durations.read(config, PREFIX + "idle", Duration.ofMinutes(10), Duration.ofSeconds(1), problems),
                Durations.read(config, PREFIX + "timeout", Duration.ofSeconds(5), Duration.ofMillis(100), problems));
    }
}
