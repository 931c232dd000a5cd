package org.layeredcache.example;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.CacheTasks;
import org.layeredcache.TaskStatus;

/** {@code GET /tasks/{id}}: where a background task stands, on whichever node asks (statuses live in the cluster). */
@Path("tasks/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class TasksResource {

    @Inject
    CacheTasks tasks;

    @GET
    public TaskStatus status(@PathParam("id") String id) {
        return tasks.status(id).orElseThrow(() -> new NotFoundException("no task " + id
                + " (unknown, or ended long ago)"));
    }
}
