package org.layeredcache.example;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /services/{id}} and {@code PUT /services/{id}} (a JSON body {@code {"name": "..."}}). */
@Path("services/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    /** The body of a rename. */
    public record Rename(String name) {
    }

    @Inject
    ServiceStore services;

    @GET
    public ServiceView get(@PathParam("id") long id) {
        return found(services.find(id), "service", id);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public ServiceView rename(@PathParam("id") long id, Rename rename) {
        return found(services.rename(id, rename.name()), "service", id);
    }

    static <T> T found(T value, String what, long id) {
        if (value == null) {
            throw new NotFoundException("no " + what + " " + id);
        }
        return value;
    }
}
