package org.layeredcache.example.data;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.layeredcache.LoadsObject;
import org.layeredcache.SharedObjects;
import org.layeredcache.StoresObjects;

import java.util.List;
import java.util.Map;

/**
 * Each user's recently viewed templates, story 2's "objects written once per request": a page view changes the
 * user's list in the cluster (once per request, after it, whatever else the request changed), every node reads the
 * new list at once, and the library stores changed lists here in batches every few seconds, one statement per
 * user whose list changed since.
 */
@ApplicationScoped
public class RecentViews {

    static final String KIND = "recently-viewed";

    @PersistenceContext
    EntityManager em;

    @Inject
    SharedObjects objects;

    /** {@code example.recent-views}: whether views are kept per user (on unless configured off, for a benchmark). */
    @Inject
    @ConfigProperty(name = "example.recent-views", defaultValue = "true")
    boolean keeping;

    /** The user viewed the template's page. */
    public void viewed(long userId, long templateId) {
        if (keeping) {
            objects.change(KIND, userId, (RecentlyViewed before) -> RecentlyViewed.viewed(before, templateId));
        }
    }

    /** The user's recently viewed templates, newest first (this request's views included). */
    public List<Long> recent(long userId) {
        RecentlyViewed recent = objects.get(KIND, userId);
        return recent == null ? List.of() : recent.templateIds();
    }

    /**
     * Called by the library's store, in its transaction: writes each changed list. Flushed here, so that its
     * statements run (uncounted) now rather than at the commit, where a test would count them as a page's.
     */
    @StoresObjects(KIND)
    public void store(Map<Long, RecentlyViewed> byUser) {
        SqlStatementCounter.notCounting(() -> {
            byUser.forEach((userId, recent) -> em.merge(new RecentView(userId, recent == null ? "" : recent.text())));
            em.flush();
        });
    }

    /**
     * Called when the cluster does not hold the user's list (its first view since the list was last stored and
     * left the cluster's memory). Not counted as the page's SQL: it is not part of what the caches serve.
     */
    @LoadsObject(KIND)
    public RecentlyViewed load(long userId) {
        RecentView[] found = new RecentView[1];
        SqlStatementCounter.notCounting(() -> found[0] = em.find(RecentView.class, userId));
        return found[0] == null ? null : RecentlyViewed.parse(found[0].getTemplateIds());
    }
}
