package org.layeredcache.example.redis;

import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.layeredcache.example.PageService.Page;
import org.layeredcache.example.data.ServiceStore;
import org.layeredcache.example.data.ServiceView;
import org.layeredcache.example.data.TemplateStore;
import org.layeredcache.example.data.TemplateSummary;
import org.layeredcache.example.data.TemplateVersionView;
import org.layeredcache.example.data.UserStore;
import org.layeredcache.example.data.UserView;

import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /redis/services/{sid}/templates/{tid}/page?user={uid}}: the same page as
 * {@code /services/{sid}/templates/{tid}/page}, with its four reads cached by hand in Redis under the story's keys
 * instead of by the annotations. Meant to run with the annotations switched off
 * ({@code layered-cache.enabled=false}), so that each miss goes to the database. Read-only: the benchmark does not
 * write, so the hand-written deletes of the story's write paths are not repeated here.
 */
@Path("redis/services/{serviceId}/templates/{templateId}/page")
@Produces(MediaType.APPLICATION_JSON)
public class RedisPageResource {

    @Inject
    RedisCacheAside redis;

    @Inject
    ServiceStore services;

    @Inject
    UserStore users;

    @Inject
    TemplateStore templates;

    @GET
    public Page page(@PathParam("serviceId") long serviceId, @PathParam("templateId") long templateId,
                     @QueryParam("user") long userId) {
        if (!redis.enabled()) {
            throw new NotFoundException("the Redis variant is off; start with example.redis.enabled=true");
        }
        ServiceView service = redis.get("service-" + serviceId, ServiceView.class, () -> services.service(serviceId));
        UserView user = redis.get("user-" + userId, UserView.class, () -> users.user(userId));
        if (service == null || user == null) {
            throw new NotFoundException("no service " + serviceId + " or no user " + userId);
        }
        String granted = user.permissionsOn(serviceId).orElseThrow(() -> new ForbiddenException(
                "user " + userId + " does not belong to service " + serviceId));
        List<TemplateSummary> list = redis.get("service-" + serviceId + "-templates", TemplateList.TYPE,
                () -> templates.templatesOf(serviceId));
        TemplateSummary template = list.stream().filter(t -> t.id() == templateId).findFirst()
                .orElseThrow(() -> new NotFoundException("service " + serviceId + " has no template " + templateId));
        TemplateVersionView version = redis.get("template-" + templateId + "-version-" + template.currentVersion(),
                TemplateVersionView.class,
                () -> templates.version(templateId, template.currentVersion()).orElse(null));
        if (version == null) {
            throw new NotFoundException("template " + templateId + " has no current version");
        }
        List<String> permissions = Arrays.stream(granted.split(",")).sorted().toList();
        return new Page(service.id(), service.name(), user.id(), user.name(), permissions,
                permissions.contains("manage_templates"), template.id(), template.name(), version.version(),
                version.subject(), version.content());
    }

    /** The JSON type of a template list. */
    private static final class TemplateList {
        static final java.lang.reflect.Type TYPE = new java.util.ArrayList<TemplateSummary>() { }
                .getClass().getGenericSuperclass();
    }
}
