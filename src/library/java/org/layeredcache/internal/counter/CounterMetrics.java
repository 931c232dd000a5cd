package org.layeredcache.internal.counter;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.layeredcache.CounterStatus;
import org.layeredcache.Counters;
import org.layeredcache.internal.operation.CacheOperations;

import java.time.Instant;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes each counter's flushing as MicroProfile Metrics gauges tagged {@code counter}, read from
 * {@link Counters#status} on each scrape (Prometheus names): {@code layered_cache_counter_pending} (the sum not
 * persisted yet), {@code _counter_pending_keys}, {@code _counter_flushes}, {@code _counter_flush_failures},
 * {@code _counter_flush_lag_seconds} and {@code _counter_not_in_cluster} (additions this node kept because the
 * cluster refused them). Nothing where the server offers no metric registry.
 */
@ApplicationScoped
public class CounterMetrics {

    private static final Logger LOG = Logger.getLogger(CounterMetrics.class.getName());

    @Inject
    Instance<MetricRegistry> registries;

    @Inject
    CacheOperations operations;

    @Inject
    Counters counters;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (operations.counters().isEmpty() || !registries.isResolvable()) {
            return;
        }
        try {
            MetricRegistry registry = registries.get();
            for (String counter : operations.counters().keySet()) {
                gauge(registry, counter, "pending", "The sum of additions not persisted yet", CounterStatus::pendingSum);
                gauge(registry, counter, "pending_keys", "Keys with additions not persisted yet",
                        CounterStatus::pendingKeys);
                gauge(registry, counter, "flushes", "Flushes of the flushing node that committed",
                        CounterStatus::flushes);
                gauge(registry, counter, "flush_failures", "Flushes of the flushing node that failed",
                        CounterStatus::failedFlushes);
                gauge(registry, counter, "flush_lag_seconds", "Time since the last committed flush while additions"
                        + " are pending", status -> status.lag(Instant.now()).toSeconds());
                gauge(registry, counter, "not_in_cluster", "Additions this node kept because the cluster refused"
                        + " them", CounterStatus::notInCluster);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The counters' metrics could not be registered; counting works without them", e);
        }
    }

    private void gauge(MetricRegistry registry, String counter, String metric, String description,
                       ToLongFunction<CounterStatus> value) {
        registry.gauge(Metadata.builder().withName("layered_cache.counter." + metric).withDescription(description)
                .build(), counters, c -> value.applyAsLong(c.status(counter)), new Tag("counter", counter));
    }
}
