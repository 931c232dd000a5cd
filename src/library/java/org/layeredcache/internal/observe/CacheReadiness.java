package org.layeredcache.internal.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.stats.CacheHealth;

/**
 * A MicroProfile readiness check, {@code layered-cache}, that shows each cache's state on this node: its cluster
 * circuit ({@code closed}, {@code open} after a cluster failure, {@code off}), the invalidations kept during an
 * outage, and the last fault. It is always UP: while the cluster layer fails, calls still return the method's
 * value, so a load balancer must not take the node out for it.
 */
@Readiness
@ApplicationScoped
public class CacheReadiness implements HealthCheck {

    @Inject
    CacheRegistry caches;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("layered-cache").up();
        for (CacheHealth cache : caches.health()) {
            response.withData(cache.cache() + ".cluster", cache.cluster());
            response.withData(cache.cache() + ".kept-invalidations", cache.keptInvalidations());
            if (cache.lastFault() != null) {
                response.withData(cache.cache() + ".last-fault", cache.lastFault());
            }
        }
        return response.build();
    }
}
