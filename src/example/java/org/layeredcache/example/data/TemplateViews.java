package org.layeredcache.example.data;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.layeredcache.Counters;
import org.layeredcache.FlushesCounter;
import org.layeredcache.ReadsCounter;

import java.util.Map;

/**
 * Page views per template, story 2's write half: each page view adds one to counter {@value #COUNTER} in the
 * cluster (no database work on the request), and the library's flush persists the sums here every few seconds,
 * one statement per template viewed since the last flush.
 */
@ApplicationScoped
public class TemplateViews {

    static final String COUNTER = "template-views";

    @PersistenceContext
    EntityManager em;

    @Inject
    Counters counters;

    /** {@code example.count-views}: whether page views are counted (on unless configured off, for a benchmark). */
    @Inject
    @ConfigProperty(name = "example.count-views", defaultValue = "true")
    boolean counting;

    /** One more view of the template's page, added once the request's transaction (if any) commits. */
    public void viewed(long templateId) {
        if (counting) {
            counters.add(COUNTER, templateId, 1);
        }
    }

    /**
     * Views of the template: persisted plus not yet flushed ({@code views}, exact also while a flush commits), and
     * each of the two as read one after the other (a flush in between moves views from one to the other).
     */
    public record Views(long templateId, long views, long persisted, long pending) {
    }

    public Views views(long templateId) {
        long views = counters.read(COUNTER, templateId);
        return new Views(templateId, views, persisted(templateId), counters.pending(COUNTER, templateId));
    }

    /** Called by the library's flush, in its transaction: adds each template's new views to its row. */
    @FlushesCounter(COUNTER)
    public void persist(Map<Long, Long> viewsByTemplate) {
        SqlStatementCounter.notCounting(() -> viewsByTemplate.forEach((templateId, views) -> {
            int updated = em.createQuery("update TemplateStats s set s.views = s.views + :views"
                    + " where s.templateId = :id").setParameter("views", views).setParameter("id", templateId)
                    .executeUpdate();
            if (updated == 0) {
                em.persist(new TemplateStats(templateId, views));
                em.flush();
            }
        }));
    }

    @ReadsCounter(COUNTER)
    public long persisted(long templateId) {
        TemplateStats stats = em.find(TemplateStats.class, templateId);
        return stats == null ? 0 : stats.getViews();
    }
}
