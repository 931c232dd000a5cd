package org.layeredcache.example.data;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Templates and their versions, with the three ways to say what a write makes stale. The service's list of
 * templates tracks the entities it was built from, so renaming or deleting a template (a JPA change of a template
 * in the list) drops it with no annotation on the write. Every entry built from one template's versions carries the
 * tag {@code template-<id>}, so a change or a delete drops the list of versions and each version with one tag. A
 * new template is named by key: a persisted row is in no entry yet (see create).
 */
@ApplicationScoped
public class TemplateStore {

    /**
     * A template's name and the text of its next version. The name may be left out when a template is changed
     * (it stays as it is), not when one is created. Sizes match the columns.
     */
    public record TemplateDraft(
            @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @Size(max = 255) String name,
            @NotBlank @Size(max = 255) String subject,
            @NotBlank @Size(max = 8000) String content) {
    }

    @PersistenceContext
    EntityManager em;

    @CachedRead(cache = "templates", key = "service-{serviceId}-templates", trackEntities = true)
    public List<TemplateSummary> templatesOf(long serviceId) {
        return em.createQuery("select t from Template t where t.serviceId = :service order by t.id", Template.class)
                .setParameter("service", serviceId)
                .getResultStream().map(TemplateSummary::of).toList();
    }

    /** The versions of a template, oldest first, without their text; empty if there is no such template. */
    @CachedRead(cache = "templates", key = "template-{templateId}-versions", tags = "template-{templateId}")
    public List<TemplateVersionView> versions(long templateId) {
        return em.createQuery("select v from TemplateVersion v where v.templateId = :template order by v.version",
                        TemplateVersion.class)
                .setParameter("template", templateId)
                .getResultStream().map(v -> TemplateVersionView.of(v).summary()).toList();
    }

    @CachedRead(cache = "templates", key = "template-{templateId}-version-{version}", tags = "template-{templateId}")
    public Optional<TemplateVersionView> version(long templateId, int version) {
        return em.createQuery("select v from TemplateVersion v where v.templateId = :template"
                                + " and v.version = :version", TemplateVersion.class)
                .setParameter("template", templateId).setParameter("version", version)
                .getResultStream().findFirst().map(TemplateVersionView::of);
    }

    /**
     * Creates the template with its first version; empty if there is no such service. No key named: the service's
     * list was built from a query of templates, so a new template drops it ({@code EntityQueryTracking} in
     * persistence.xml).
     */
    @Transactional
    public Optional<TemplateSummary> create(long serviceId, TemplateDraft draft) {
        Service service = em.find(Service.class, serviceId);
        if (service == null) {
            return Optional.empty();
        }
        Template template = new Template(null, service, draft.name());
        em.persist(template);
        em.persist(template.newVersion(draft.subject(), draft.content(), Instant.now()));
        em.flush();
        return Optional.of(TemplateSummary.of(template));
    }

    /** Renames the template and adds a new current version; empty if the service has no such template. */
    @Transactional
    @Invalidates(tags = "template-{templateId}")
    public Optional<TemplateSummary> update(long serviceId, long templateId, TemplateDraft draft) {
        return find(serviceId, templateId).map(template -> {
            if (draft.name() != null) {
                template.setName(draft.name());
            }
            em.persist(template.newVersion(draft.subject(), draft.content(), Instant.now()));
            return TemplateSummary.of(template);
        });
    }

    /**
     * Renames the template, and nothing else; empty if the service has no such template. Plain JPA with no
     * annotation at all: the service's list of templates was built from this template entity
     * ({@code trackEntities}), so the commit drops it on every node. (The versions do not show the name.)
     */
    @Transactional
    public Optional<TemplateSummary> rename(long serviceId, long templateId, String name) {
        return find(serviceId, templateId).map(template -> {
            template.setName(name);
            return TemplateSummary.of(template);
        });
    }

    /** Deletes the template and its versions; false if the service has no such template. */
    @Transactional
    @Invalidates(tags = "template-{templateId}")                       // the list and every version
    public boolean delete(long serviceId, long templateId) {
        Optional<Template> found = find(serviceId, templateId);
        found.ifPresent(template -> {
            em.createQuery("delete from TemplateVersion v where v.templateId = :template")
                    .setParameter("template", templateId).executeUpdate();
            em.remove(template);
        });
        return found.isPresent();
    }

    private Optional<Template> find(long serviceId, long templateId) {
        return Optional.ofNullable(em.find(Template.class, templateId))
                .filter(template -> template.getServiceId() == serviceId);
    }
}
