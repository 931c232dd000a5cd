package org.layeredcache.example.data;

import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.Invalidates;

/**
 * Drops one version entry of a template. A separate bean, because a call from a bean to itself is not
 * intercepted; the drop still waits for the caller's transaction to commit.
 */
@ApplicationScoped
public class VersionEvictions {

    @Invalidates(cache = "templates", key = "template-{templateId}-version-{version}")
    public void deleted(long templateId, int version) {
        // Nothing to do here: the annotation is the work.
    }
}
