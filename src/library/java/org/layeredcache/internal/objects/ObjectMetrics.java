package org.layeredcache.internal.objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.layeredcache.SharedObjectStatus;
import org.layeredcache.SharedObjects;

import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes each kind of shared object's store as MicroProfile Metrics gauges tagged {@code objects}, read from
 * {@link SharedObjects#status} on each scrape (Prometheus names): {@code layered_cache_objects_pending} (changed
 * objects not stored yet), {@code _objects_lag_seconds} (how long the oldest has waited), {@code _objects_stores},
 * {@code _objects_store_failures}, {@code _objects_writes}, {@code _objects_kept_on_node} and
 * {@code _objects_failed_writes}. Nothing where the server offers no metric registry.
 */
@ApplicationScoped
public class ObjectMetrics {

    private static final Logger LOG = Logger.getLogger(ObjectMetrics.class.getName());

    @Inject
    Instance<MetricRegistry> registries;

    @Inject
    SharedObjects objects;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (objects.names().isEmpty() || !registries.isResolvable()) {
            return;
        }
        try {
            MetricRegistry registry = registries.get();
            for (String name : objects.names()) {
                gauge(registry, name, "pending", "Changed objects not stored yet", SharedObjectStatus::pending);
                gauge(registry, name, "lag_seconds", "How long the oldest changed object has waited to be stored",
                        status -> status.lag().toSeconds());
                gauge(registry, name, "stores", "Stores of the storing node that committed",
                        SharedObjectStatus::stores);
                gauge(registry, name, "store_failures", "Stores of the storing node that failed",
                        SharedObjectStatus::failedStores);
                gauge(registry, name, "writes", "Requests' changes this node wrote to the cluster, one per object"
                        + " and request", SharedObjectStatus::writes);
                gauge(registry, name, "kept_on_node", "Requests' changes waiting on this node to reach the cluster",
                        SharedObjectStatus::keptOnNode);
                gauge(registry, name, "failed_writes", "Requests' changes lost because a change function threw",
                        SharedObjectStatus::failedWrites);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The shared objects' metrics could not be registered; they work without them", e);
        }
    }

    private void gauge(MetricRegistry registry, String name, String metric, String description,
                       ToLongFunction<SharedObjectStatus> value) {
        registry.gauge(Metadata.builder().withName("layered_cache.objects." + metric).withDescription(description)
                .build(), objects, o -> value.applyAsLong(o.status(name)), new Tag("objects", name));
    }
}
