package org.layeredcache.internal.objects;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The changes a request made to shared objects outside any transaction: written to the cluster once, when the
 * request ends (each object in one write).
 */
@RequestScoped
public class RequestChanges {

    @Inject
    ClusterObjects objects;

    private final PendingChanges pending = new PendingChanges();

    PendingChanges pending() {
        return pending;
    }

    @PreDestroy
    void requestEnded() {
        objects.writeAll(pending.drain());
    }
}
