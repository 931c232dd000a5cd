package org.layeredcache.internal.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.layeredcache.SharedObjectStatus;
import org.layeredcache.SharedObjects;

/**
 * The readiness check's detail for one kind of shared object: how many changed objects wait to be stored, for how
 * long, and whether that exceeds {@code layered-cache.objects.max-lag}. Thread-safe.
 */
@ApplicationScoped
public class ObjectsReadiness {

    @Inject
    SharedObjects objects;

    /** The detail for kind {@code name}. */
    public String detail(String name) {
        try {
            SharedObjectStatus status = objects.status(name);
            return status.pending() + " changed objects not stored yet, the oldest for " + status.lag().toMillis()
                    + " ms (max-lag " + status.maxLag().toMillis() + " ms)"
                    + (status.lagExceeded() ? "; the database is behind by more than max-lag" : "");
        } catch (RuntimeException e) {
            return "unknown: " + e;
        }
    }
}
