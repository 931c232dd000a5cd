package org.layeredcache.example;

import jakarta.inject.Inject;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.layeredcache.example.data.ServiceStore;
import org.layeredcache.example.data.ServiceView;
import org.layeredcache.example.data.TemplateStore;
import org.layeredcache.example.data.TemplateSummary;
import org.layeredcache.example.data.UserStore;

import java.net.URI;
import java.util.List;

import static org.layeredcache.example.PageService.found;

/** Services, their users and templates, and the admin page. */
@Path("services/{serviceId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ServicesResource {

    /** The body of {@code POST /services/{sid}/users/{uid}}. */
    public record Grant(String permissions) {
    }

    @Inject
    ServiceStore services;

    @Inject
    UserStore users;

    @Inject
    TemplateStore templates;

    @Inject
    PageService pages;

    @GET
    public ServiceView service(@PathParam("serviceId") long serviceId) {
        return found(services.service(serviceId), "service", serviceId);
    }

    @PUT
    public ServiceView update(@PathParam("serviceId") long serviceId, ServiceStore.ServiceChange change) {
        if (!services.update(serviceId, change)) {
            throw new NotFoundException("no service " + serviceId);
        }
        return services.service(serviceId);
    }

    @POST
    @Path("users/{userId}")
    public Response addUser(@PathParam("serviceId") long serviceId, @PathParam("userId") long userId, Grant grant) {
        if (!users.addToService(serviceId, userId, grant.permissions())) {
            throw new NotFoundException("no service " + serviceId + " or no user " + userId);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("templates")
    public List<TemplateSummary> templates(@PathParam("serviceId") long serviceId) {
        found(services.service(serviceId), "service", serviceId);
        return templates.templatesOf(serviceId);
    }

    @POST
    @Path("templates")
    public Response createTemplate(@PathParam("serviceId") long serviceId, TemplateStore.TemplateDraft draft) {
        TemplateSummary created = templates.create(serviceId, draft)
                .orElseThrow(() -> new NotFoundException("no service " + serviceId));
        return Response.created(URI.create("/templates/" + created.id() + "/versions/1")).entity(created).build();
    }

    @PUT
    @Path("templates/{templateId}")
    public TemplateSummary updateTemplate(@PathParam("serviceId") long serviceId,
                                          @PathParam("templateId") long templateId,
                                          TemplateStore.TemplateDraft draft) {
        return templates.update(serviceId, templateId, draft)
                .orElseThrow(() -> new NotFoundException("service " + serviceId + " has no template " + templateId));
    }

    @DELETE
    @Path("templates/{templateId}")
    public Response deleteTemplate(@PathParam("serviceId") long serviceId, @PathParam("templateId") long templateId) {
        if (!templates.delete(serviceId, templateId)) {
            throw new NotFoundException("service " + serviceId + " has no template " + templateId);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("templates/{templateId}/page")
    public PageService.Page page(@PathParam("serviceId") long serviceId, @PathParam("templateId") long templateId,
                                 @QueryParam("user") long userId) {
        return pages.page(serviceId, templateId, userId);
    }
}
