package org.layeredcache.example.data;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;

/**
 * Services: read through the caches, and the write that makes them stale. A CDI bean rather than an EJB: a cache
 * hit then costs no container transaction; the write runs in one ({@code @Transactional}), and its invalidation
 * waits for the commit.
 */
@ApplicationScoped
public class ServiceStore {

    /** A change to a service's name or settings; a null field stays as it is. Sizes match the columns. */
    public record ServiceChange(
            @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @Size(max = 255) String name,
            @Size(max = 8000) String settings) {
    }

    @PersistenceContext
    EntityManager em;

    /** The service and the ids of its users, in one query; {@code null} if there is none. */
    @CachedRead(cache = "services", key = "service-{serviceId}")
    public ServiceView service(long serviceId) {
        return em.createQuery("select distinct s from Service s left join fetch s.memberships where s.id = :id",
                        Service.class)
                .setParameter("id", serviceId)
                .getResultStream().findFirst().map(ServiceView::of).orElse(null);
    }

    @Transactional
    @Invalidates(cache = "services", key = "service-{serviceId}")
    public boolean update(long serviceId, ServiceChange change) {
        Service service = em.find(Service.class, serviceId);
        if (service == null) {
            return false;
        }
        if (change.name() != null) {
            service.setName(change.name());
        }
        if (change.settings() != null) {
            service.setSettings(change.settings());
        }
        return true;
    }
}
