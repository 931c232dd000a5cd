package org.layeredcache.example;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import org.layeredcache.RequestCached;
import org.layeredcache.example.data.ServiceStore;
import org.layeredcache.example.data.ServiceView;
import org.layeredcache.example.data.TemplateStore;
import org.layeredcache.example.data.TemplateSummary;
import org.layeredcache.example.data.TemplateVersionView;
import org.layeredcache.example.data.RecentViews;
import org.layeredcache.example.data.TemplateViews;
import org.layeredcache.example.data.UserStore;
import org.layeredcache.example.data.UserView;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin page of story 1: a template of a service, as a user sees it. Four cached reads, one after the
 * other, as the admin app made them: the service, the user, the service's templates, the template's current
 * version.
 */
@ApplicationScoped
public class PageService {

    /** Everything the page shows. */
    public record Page(long serviceId, String serviceName, long userId, String userName, List<String> permissions,
                       boolean canEdit, long templateId, String templateName, int version, String subject,
                       String content) {
    }

    @Inject
    ServiceStore services;

    @Inject
    UserStore users;

    @Inject
    TemplateStore templates;

    @Inject
    PageService self;

    @Inject
    TemplateViews views;

    @Inject
    RecentViews recentViews;

    /**
     * The admin page of a template, as the user sees it; each page shown counts as one view of the template and
     * puts the template first in the user's recently viewed list.
     */
    public Page page(long serviceId, long templateId, long userId) {
        ServiceView service = found(services.service(serviceId), "service", serviceId);
        UserView user = found(users.user(userId), "user", userId);
        if (self.permissions(userId, serviceId).isEmpty()) {
            throw new ForbiddenException("user " + userId + " does not belong to service " + serviceId);
        }
        TemplateSummary template = templates.templatesOf(serviceId).stream()
                .filter(t -> t.id() == templateId).findFirst()
                .orElseThrow(() -> new NotFoundException("service " + serviceId + " has no template " + templateId));
        TemplateVersionView version = templates.version(templateId, template.currentVersion())
                .orElseThrow(() -> new NotFoundException("template " + templateId + " has no current version"));
        Set<String> permissions = self.permissions(userId, serviceId);
        views.viewed(templateId);
        recentViews.viewed(userId, templateId);
        return new Page(service.id(), service.name(), user.id(), user.name(), List.copyOf(permissions),
                permissions.contains("manage_templates"), template.id(), template.name(), version.version(),
                version.subject(), version.content());
    }

    /**
     * What the user may do on the service, worked out once per request however often the page asks (here twice:
     * to let the user in, and to offer editing).
     */
    @RequestCached
    public Set<String> permissions(long userId, long serviceId) {
        UserView user = users.user(userId);
        return user == null ? Set.of() : user.permissionsOn(serviceId)
                .map(granted -> (Set<String>) new TreeSet<>(Arrays.asList(granted.split(","))))
                .orElse(Set.of());
    }

    static <T> T found(T value, String what, long id) {
        if (value == null) {
            throw new NotFoundException("no " + what + " " + id);
        }
        return value;
    }
}
