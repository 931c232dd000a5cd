package org.layeredcache.internal.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.layeredcache.CacheAdmin;
import org.layeredcache.ConsistencyAudit;
import org.layeredcache.SharedObjects;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.stats.CacheHealth;

/**
 * A MicroProfile readiness check, {@code layered-cache}, that shows each cache's state on this node: its cluster
 * circuit ({@code closed}, {@code open} after a cluster failure, {@code off}), the invalidations kept during an
 * outage, the last fault, and for an audited cache what the consistency auditor found in the last hour. It is
 * always UP: while the cluster layer fails, calls still return the method's value, so a load balancer must not take
 * the node out for it (nor for a disagreement, which the metrics let an alert watch). For each kind of shared
 * object, it shows how many changed objects wait to be stored and for how long, and says so when the database is
 * behind by more than {@code layered-cache.objects.max-lag} ({@link ObjectsReadiness}, bounded in time).
 */
@Readiness
@ApplicationScoped
public class CacheReadiness implements HealthCheck {

    @Inject
    CacheRegistry caches;

    @Inject
    CacheAdmin admin;

    @Inject
    SharedObjects objects;

    @Inject
    ObjectsReadiness objectsReadiness;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("layered-cache").up();
        for (CacheHealth cache : caches.health()) {
            response.withData(cache.cache() + ".cluster", cache.cluster());
            response.withData(cache.cache() + ".kept-invalidations", cache.keptInvalidations());
            if (cache.lastFault() != null) {
                response.withData(cache.cache() + ".last-fault", cache.lastFault());
            }
            ConsistencyAudit audit = admin.audit(cache.cache());
            if (audit.enabled()) {
                response.withData(cache.cache() + ".audit", audit.lastHourDisagreements() + " of "
                        + audit.lastHourChecks() + " checks disagreed in the last hour" + (audit.lastHourChecks() == 0
                        ? "" : String.format(java.util.Locale.ROOT, " (%.1f nines)", audit.nines())));
            }
        }
        for (String name : objects.names()) {
            response.withData("objects." + name, objectsReadiness.detail(name));
        }
        return response.build();
    }
}
