package org.layeredcache.cluster;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.SharedObjectStatus;
import org.layeredcache.SharedObjects;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The HTTP face of the shared "baskets" on one node ({@link Basket}), which the shared object tests drive. */
@Path("baskets")
@Produces(MediaType.TEXT_PLAIN)
public class BasketResource {

    @Inject
    Basket basket;

    @Inject
    SharedObjects objects;

    @POST
    @Path("{id}/add")
    public String add(@PathParam("id") long id, @QueryParam("number") long number) {
        basket.add(id, number);
        return "added";
    }

    @POST
    @Path("{id}/add-many")
    public String addMany(@PathParam("id") long id, @QueryParam("from") long from, @QueryParam("count") int count) {
        basket.addMany(id, from, count);
        return "added";
    }

    /** The basket's items as this node reads them, joined by commas. */
    @GET
    @Path("{id}")
    public String items(@PathParam("id") long id) {
        return Basket.text(basket.get(id));
    }

    @GET
    @Path("status")
    public String status() {
        SharedObjectStatus status = objects.status(Basket.KIND);
        return "storingNode=" + status.storingNode() + " stores=" + status.stores() + " failed="
                + status.failedStores() + " pending=" + status.pending() + " keptOnNode=" + status.keptOnNode()
                + " lastError=" + status.lastError();
    }

    /** Holds the next store after its writes (see {@link #held}). */
    @POST
    @Path("hold")
    public String hold() {
        Basket.held = new CountDownLatch(1);
        Basket.holding = new CountDownLatch(1);
        return "holding";
    }

    /** Answers once a store is held (408 if none within 30 s). */
    @GET
    @Path("held")
    public String held() throws InterruptedException {
        if (!Basket.held.await(30, TimeUnit.SECONDS)) {
            throw new jakarta.ws.rs.WebApplicationException("no store was held", 408);
        }
        return "held";
    }
}
