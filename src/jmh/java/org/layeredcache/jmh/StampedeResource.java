package org.layeredcache.jmh;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheStatistics;

/**
 * {@code GET /stampede/{cache}/{id}} reads one key of a slow method; {@code GET /stampede/statistics} answers this
 * node's loads and each stampede cache's counters, one line each.
 */
@Path("stampede")
@Produces(MediaType.TEXT_PLAIN)
public class StampedeResource {

    @Inject
    Stampede stampede;

    @Inject
    CacheAdmin admin;

    @GET
    @Path("cold/{id}")
    public String cold(@PathParam("id") long id) throws InterruptedException {
        return stampede.cold(id);
    }

    @GET
    @Path("short/{id}")
    public String shortLived(@PathParam("id") long id) throws InterruptedException {
        return stampede.shortLived(id);
    }

    @GET
    @Path("refreshed/{id}")
    public String refreshed(@PathParam("id") long id) throws InterruptedException {
        return stampede.refreshedAhead(id);
    }

    @GET
    @Path("statistics")
    public String statistics() {
        StringBuilder text = new StringBuilder("methodRuns=" + stampede.loads());
        for (String cache : new String[] {"stampede", "stampede-short", "stampede-refreshed"}) {
            CacheStatistics s = admin.statistics(cache);
            text.append('\n').append(cache).append(" calls=").append(s.calls()).append(" loads=").append(s.loads())
                    .append(" sharedLoads=").append(s.sharedLoads()).append(" waitsGivenUp=").append(s.waitsGivenUp())
                    .append(" refreshes=").append(s.refreshes()).append(" near=").append(s.nearHits())
                    .append(" cluster=").append(s.clusterHits());
        }
        return text.toString();
    }
}
