package org.layeredcache.cluster;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.inject.Inject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheStatistics;
import org.layeredcache.CacheTasks;
import org.layeredcache.TaskPendingException;
import org.layeredcache.TaskStatus;
import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.key.CacheKey;

import javax.cache.CacheManager;

/** The HTTP face of one node, which the cluster tests drive from outside. Plain-text answers. */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class ClusterResource {

    /** The application, on the PostgreSQL schema the test prepared (see microprofile-config.properties). */
    @ApplicationPath("/")
    @DataSourceDefinition(name = "java:app/jdbc/cluster",
            className = "org.postgresql.ds.PGSimpleDataSource",
            url = "${MPCONFIG=cluster.datasource.url}",
            user = "postgres",
            password = "unused",
            minPoolSize = 2,
            maxPoolSize = 40)
    public static class Rest extends Application {
    }

    @Inject
    CounterStore store;

    @Inject
    LoadGate gate;

    @Inject
    CacheAdmin admin;

    @Inject
    CacheManager cacheManager;

    @Inject
    org.layeredcache.internal.cache.CacheRegistry registry;

    @GET
    @Path("counters/{id}")
    public long read(@PathParam("id") long id) {
        return store.read(id);
    }

    @GET
    @Path("counters-short/{id}")
    public long readShortLived(@PathParam("id") long id) {
        return store.readShortLived(id);
    }

    @POST
    @Path("counters/{id}/increment")
    public long increment(@PathParam("id") long id) {
        return store.increment(id);
    }

    @GET
    @Path("tagged-counters/{id}")
    public long readTagged(@PathParam("id") long id) {
        return store.readTagged(id);
    }

    @GET
    @Path("tracked-counters/{id}")
    public long readTracked(@PathParam("id") long id) {
        return store.readTracked(id);
    }

    /** A change through plain JPA: no @Invalidates names anything. */
    @POST
    @Path("tracked-counters/{id}/increment-plainly")
    public long incrementPlainly(@PathParam("id") long id) {
        return store.incrementWithoutInvalidation(id);
    }

    /** A change JPA does not see (native SQL). */
    @POST
    @Path("tracked-counters/{id}/increment-in-bulk")
    public long incrementInBulk(@PathParam("id") long id) {
        return store.incrementInBulk(id);
    }

    @POST
    @Path("tagged-counters/{id}/increment")
    public long incrementTagged(@PathParam("id") long id) {
        return store.incrementTagged(id);
    }

    /** A write whose invalidation message is lost: the row and the cluster entry change, no other node is told. */
    @POST
    @Path("counters-short/{id}/increment-losing-the-message")
    public long incrementLosingTheMessage(@PathParam("id") long id) {
        long version = store.incrementWithoutInvalidation(id);
        cacheManager.getCache("counters-short").remove(ClusterCodec.key(CacheKey.of("counter-{}", id)));
        return version;
    }

    @POST
    @Path("gate/{id}")
    public String arm(@PathParam("id") long id) {
        gate.arm(id);
        return "armed";
    }

    @GET
    @Path("gate/paused")
    public String paused() throws InterruptedException {
        if (!gate.awaitPaused()) {
            throw new WebApplicationException("no load reached the gate", 408);
        }
        return "paused";
    }

    @POST
    @Path("gate/release")
    public String release() {
        gate.release();
        return "released";
    }

    @Inject
    CacheTasks tasks;

    /** Starts a background task of {@code scope} that takes {@code millis}; its id, or 409 naming the pending one. */
    @POST
    @Path("tasks/{scope}")
    public String startTask(@PathParam("scope") String scope, @jakarta.ws.rs.QueryParam("millis") long millis) {
        try {
            return tasks.start(scope, "sleeps " + millis + " ms", progress -> Thread.sleep(millis)).id();
        } catch (TaskPendingException pending) {
            throw new WebApplicationException(pending.getMessage(), 409);
        }
    }

    /** A task's state as this node reads it from the cluster. */
    @GET
    @Path("tasks/{id}")
    public String taskState(@PathParam("id") String id) {
        return tasks.status(id).map(TaskStatus::state).orElse("unknown");
    }

    @GET
    @Path("standard-counters/{id}")
    public long readStandard(@PathParam("id") long id) {
        return store.readStandard(id);
    }

    @POST
    @Path("standard-counters/{id}/increment")
    public long incrementStandard(@PathParam("id") long id) {
        return store.incrementStandard(id);
    }

    @POST
    @Path("counters/{id}/increment-natively")
    public long incrementNatively(@PathParam("id") long id) {
        return store.incrementNatively(id);
    }

    /** How many messages this member has published on the invalidation topic (Hazelcast's own statistics). */
    @GET
    @Path("invalidations/published")
    public long published() throws javax.naming.NamingException {
        return ((com.hazelcast.core.HazelcastInstance) new javax.naming.InitialContext().lookup("payara/Hazelcast"))
                .getTopic("layered-cache-invalidations").getLocalTopicStats().getPublishOperationCount();
    }

    /** Fault injection: the next {@code count} invalidation messages this node receives are lost. */
    @POST
    @Path("invalidations/lose/{count}")
    public String loseInvalidations(@PathParam("count") int count) {
        return String.valueOf(registry.dropReceivedInvalidations(count));
    }

    /** Loads (method runs) so far, then each cache's statistics, one line each. */
    @GET
    @Path("statistics")
    public String statistics() {
        StringBuilder text = new StringBuilder("loads=" + store.loads());
        for (String cache : admin.cacheNames()) {
            CacheStatistics s = admin.statistics(cache);
            text.append('\n').append(cache).append(" request=").append(s.requestHits()).append(" near=")
                    .append(s.nearHits()).append(" cluster=").append(s.clusterHits()).append(" loads=")
                    .append(s.loads()).append(" faults=").append(s.faults()).append(" waits=").append(s.waits())
                    .append(" received=").append(s.invalidationsReceived())
                    .append(" lostDrops=").append(s.nearDroppedForLostMessages());
        }
        return text.toString();
    }
}
