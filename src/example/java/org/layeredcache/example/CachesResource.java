package org.layeredcache.example;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheStatistics;

import java.util.List;

/** {@code GET /admin/caches}: what each cache did on this node (hits per layer, loads, invalidations, faults). */
@Path("admin/caches")
@Produces(MediaType.APPLICATION_JSON)
public class CachesResource {

    @Inject
    CacheAdmin admin;

    @GET
    public List<CacheStatistics> statistics() {
        return admin.cacheNames().stream().map(admin::statistics).toList();
    }
}
