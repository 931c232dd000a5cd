package org.layeredcache.internal.config;

import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.List;

/**
 * How the deployment's counters are flushed, read once from MicroProfile Config: every
 * {@code layered-cache.counters.flush-period} (5s), into the data source named
 * {@code layered-cache.counters.datasource} (JNDI; when not set, the one the persistence unit writes to), whose
 * ledger rows of removed entries are kept {@code layered-cache.counters.ledger-keep} (1d); a caller waits at most
 * {@code layered-cache.counters.timeout} (1s) for the cluster write that carries its addition; a node sends the
 * additions of counters that do not wait for the cluster every {@code layered-cache.counters.send-period} (100ms).
 */
public record CounterSettings(Duration flushPeriod, java.util.Optional<String> dataSource, Duration ledgerKeep,
                              Duration timeout, Duration sendPeriod) {

    static final String PREFIX = "layered-cache.counters.";

    /** Reads the settings, reporting each unreadable one (by its property name) to {@code problems}. */
    public static CounterSettings read(Config config, List<String> problems) {
        Duration period = duration(config, "flush-period", Duration.ofSeconds(5), Duration.ofMillis(50), problems);
        Duration keep = duration(config, "ledger-keep", Duration.ofDays(1), Duration.ofMinutes(1), problems);
        Duration timeout = duration(config, "timeout", Duration.ofSeconds(1), Duration.ofMillis(10), problems);
        Duration send = duration(config, "send-period", Duration.ofMillis(100), Duration.ofMillis(10), problems);
        return new CounterSettings(period, config.getOptionalValue(PREFIX + "datasource", String.class), keep,
                timeout, send);
    }

    private static Duration duration(Config config, String name, Duration otherwise, Duration least,
                                     List<String> problems) {
        return Durations.read(config, PREFIX + name, otherwise, least, problems);
    }
}
