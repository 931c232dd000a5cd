package org.layeredcache.cluster;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.CounterStatus;
import org.layeredcache.Counters;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The HTTP face of counter "tally" on one node ({@link Tally}), which the counter tests drive. Plain text. */
@Path("tally")
@Produces(MediaType.TEXT_PLAIN)
public class TallyResource {

    @Inject
    Tally tally;

    @Inject
    Counters counters;

    @POST
    @Path("{id}/add")
    public String add(@PathParam("id") long id, @QueryParam("times") int times,
                      @QueryParam("rollBack") boolean rollBack, @QueryParam("held") boolean held) {
        try {
            tally.add(id, times, rollBack, held);
            return "added";
        } catch (IllegalStateException rolledBack) {
            return "rolled back";
        }
    }

    /** Persisted plus pending. */
    @GET
    @Path("{id}")
    public long read(@PathParam("id") long id) {
        return counters.read("tally", id);
    }

    /** Persisted plus pending, of counter "tally-held". */
    @GET
    @Path("held/{id}")
    public long readHeld(@PathParam("id") long id) {
        return counters.read("tally-held", id);
    }

    @GET
    @Path("{id}/pending")
    public long pending(@PathParam("id") long id) {
        return counters.pending("tally", id);
    }

    @GET
    @Path("status")
    public String status() {
        CounterStatus status = counters.status("tally");
        return "flushingNode=" + status.flushingNode() + " flushes=" + status.flushes() + " failed="
                + status.failedFlushes() + " pendingSum=" + status.pendingSum() + " notInCluster="
                + status.notInCluster() + " lastError=" + status.lastError();
    }

    @Inject
    org.layeredcache.internal.counter.ClusterCounters flusher;

    /** Flushes on this node now, whether it is the flushing node or not (two flushes at once, on purpose). */
    @POST
    @Path("flush-now")
    public String flushNow() {
        flusher.flushNow();
        return "flushed";
    }

    @Inject
    org.layeredcache.internal.cache.CacheRegistry registry;

    /** How many entries of the counters' cluster map this member holds as owner and as backup: "owned backups". */
    @GET
    @Path("replicas")
    public String replicas() {
        com.hazelcast.map.LocalMapStats stats = registry.hazelcast().orElseThrow()
                .getMap("layered-cache-counter-additions").getLocalMapStats();
        return stats.getOwnedEntryCount() + " " + stats.getBackupEntryCount();
    }

    @POST
    @Path("fail/{times}")
    public String failNext(@PathParam("times") int times) {
        Tally.FAILURES_LEFT.set(times);
        return "failing";
    }

    /** Holds the next flush after its writes; answers once one is held (408 if none within 30 s). */
    @POST
    @Path("hold")
    public String hold() throws InterruptedException {
        Tally.held = new CountDownLatch(1);
        Tally.holding = new CountDownLatch(1);
        if (!Tally.held.await(30, TimeUnit.SECONDS)) {
            throw new jakarta.ws.rs.WebApplicationException("no flush was held", 408);
        }
        return "held";
    }
}
