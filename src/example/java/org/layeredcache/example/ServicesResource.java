package org.layeredcache.example;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.layeredcache.TaskPendingException;
import org.layeredcache.TaskStatus;
import org.layeredcache.example.data.ServiceStore;
import org.layeredcache.example.data.ServiceView;
import org.layeredcache.example.data.TemplateStore;
import org.layeredcache.example.data.TemplateSummary;
import org.layeredcache.example.data.UserStore;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.layeredcache.example.PageService.found;

/**
 * Services, their users and templates, and the admin page. Ids arrive as text and are read by {@link Ids}; bodies
 * are validated before anything runs, so a bad request changes nothing and drops no cache entry.
 */
@Path("services/{serviceId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ServicesResource {

    /** The body of {@code POST /services/{sid}/users/{uid}}. */
    public record Grant(@NotBlank @Size(max = 255) String permissions) {
    }

    @Inject
    ServiceStore services;

    @Inject
    UserStore users;

    @Inject
    TemplateStore templates;

    @Inject
    PageService pages;

    @Inject
    Rebuilds rebuilds;

    @PathParam("serviceId")
    String serviceIdText;

    private long serviceId() {
        return Ids.path("serviceId", serviceIdText);
    }

    @GET
    public ServiceView service() {
        long serviceId = serviceId();
        return found(services.service(serviceId), "service", serviceId);
    }

    /** One member of a service as its members page shows them. */
    public record Member(long id, String name, String email, String permissions) {
    }

    /** A service's members page: every member with their permissions on it. */
    public record Members(long serviceId, String serviceName, List<Member> members) {
    }

    /**
     * The members page: needs every member at once, read through per-element caching ({@code UserStore.users}),
     * so a cold page costs one query for all the members no layer has, and a warm page none.
     */
    @GET
    @Path("members")
    public Members members() {
        long serviceId = serviceId();
        ServiceView service = found(services.service(serviceId), "service", serviceId);
        List<Member> members = users.users(service.userIds()).stream()
                .map(user -> new Member(user.id(), user.name(), user.email(), user.permissionsOn(serviceId).orElse("")))
                .toList();
        return new Members(serviceId, service.name(), members);
    }

    @PUT
    public ServiceView update(@NotNull @Valid ServiceStore.ServiceChange change) {
        long serviceId = serviceId();
        if (change.name() == null && change.settings() == null) {
            throw new BadRequestException("name, settings: both missing; give the one to change, or both");
        }
        if (!services.update(serviceId, change)) {
            throw new NotFoundException("no service " + serviceId);
        }
        return services.service(serviceId);
    }

    @POST
    @Path("users/{userId}")
    public Response addUser(@PathParam("userId") String userIdText, @NotNull @Valid Grant grant) {
        long serviceId = serviceId();
        long userId = Ids.path("userId", userIdText);
        if (!users.addToService(serviceId, userId, grant.permissions())) {
            throw new NotFoundException("no service " + serviceId + " or no user " + userId);
        }
        return Response.noContent().build();
    }

    /**
     * Story 4: a rebuild of the service's caches, which takes a while, runs in the background: 202 with the status
     * URL at once; while one is pending for this service, 409 naming it.
     */
    @POST
    @Path("rebuild")
    public Response rebuild(@Context UriInfo uri) {
        long serviceId = serviceId();
        found(services.service(serviceId), "service", serviceId);
        try {
            TaskStatus task = rebuilds.start(serviceId);
            URI status = uri.getBaseUriBuilder().path("tasks").path(task.id()).build();
            return Response.accepted(Map.of("task", task.id(), "state", task.state(), "status", status.toString()))
                    .location(status).build();
        } catch (TaskPendingException pending) {
            URI status = uri.getBaseUriBuilder().path("tasks").path(pending.pending().id()).build();
            return Response.status(Response.Status.CONFLICT).entity(Map.of("status", 409, "error",
                    "a rebuild of service " + serviceId + " is already " + pending.pending().state(),
                    "pending", status.toString())).build();
        }
    }

    @GET
    @Path("templates")
    public List<TemplateSummary> templates() {
        long serviceId = serviceId();
        found(services.service(serviceId), "service", serviceId);
        return templates.templatesOf(serviceId);
    }

    @POST
    @Path("templates")
    public Response createTemplate(@NotNull @Valid TemplateStore.TemplateDraft draft) {
        long serviceId = serviceId();
        if (draft.name() == null) {
            throw new BadRequestException("name: must not be blank");
        }
        TemplateSummary created = templates.create(serviceId, draft)
                .orElseThrow(() -> new NotFoundException("no service " + serviceId));
        return Response.created(URI.create("/templates/" + created.id() + "/versions/1")).entity(created).build();
    }

    @PUT
    @Path("templates/{templateId}")
    public TemplateSummary updateTemplate(@PathParam("templateId") String templateIdText,
                                          @NotNull @Valid TemplateStore.TemplateDraft draft) {
        long serviceId = serviceId();
        long templateId = Ids.path("templateId", templateIdText);
        return templates.update(serviceId, templateId, draft)
                .orElseThrow(() -> new NotFoundException("service " + serviceId + " has no template " + templateId));
    }

    /** The body of {@code PUT /services/{sid}/templates/{tid}/name}. */
    public record Rename(@NotBlank @Size(max = 255) String name) {
    }

    /** Renames a template: a write with no cache annotation, which entity tracking covers (see the store). */
    @PUT
    @Path("templates/{templateId}/name")
    public TemplateSummary renameTemplate(@PathParam("templateId") String templateIdText,
                                          @NotNull @Valid Rename rename) {
        long serviceId = serviceId();
        long templateId = Ids.path("templateId", templateIdText);
        return templates.rename(serviceId, templateId, rename.name())
                .orElseThrow(() -> new NotFoundException("service " + serviceId + " has no template " + templateId));
    }

    @DELETE
    @Path("templates/{templateId}")
    public Response deleteTemplate(@PathParam("templateId") String templateIdText) {
        long serviceId = serviceId();
        long templateId = Ids.path("templateId", templateIdText);
        if (!templates.delete(serviceId, templateId)) {
            throw new NotFoundException("service " + serviceId + " has no template " + templateId);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("templates/{templateId}/page")
    public PageService.Page page(@PathParam("templateId") String templateIdText, @QueryParam("user") String user) {
        return pages.page(serviceId(), Ids.path("templateId", templateIdText), Ids.query("user", user));
    }
}
