package org.layeredcache.example.data;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceUnit;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;
import org.layeredcache.Preloads;

import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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

    @PersistenceUnit(unitName = "example")
    EntityManagerFactory emf;

    @Inject
    @ConfigProperty(name = "example.preload.page-size", defaultValue = "500")
    int preloadPageSize;

    /**
     * Every service, for the bulk preload of the {@code services} cache (at start-up, see the configuration, or from
     * the admin resource): a stream that reads one page of services at a time (keyset paging by id, each page one
     * query with the memberships joined), outside any transaction, through an entity manager of its own that is
     * cleared after each page and closed with the stream. Only one page is held at a time.
     */
    @Preloads(cache = "services", key = "service-{id}")
    public Stream<ServiceView> allServices() {
        EntityManager own = emf.createEntityManager();
        Iterator<ServiceView> pages = new Iterator<>() {
            private Iterator<ServiceView> page = List.<ServiceView>of().iterator();
            private long after = Long.MIN_VALUE;
            private boolean last;

            @Override
            public boolean hasNext() {
                if (!page.hasNext() && !last) {
                    // The page's ids first: a row limit on the joined query would cut a service's memberships.
                    List<Long> ids = own.createQuery("select s.id from Service s where s.id > :after order by s.id",
                                    Long.class)
                            .setParameter("after", after).setMaxResults(preloadPageSize).getResultList();
                    List<ServiceView> next = ids.isEmpty() ? List.of() : own.createQuery("select distinct s from"
                                    + " Service s left join fetch s.memberships where s.id in :ids", Service.class)
                            .setParameter("ids", ids).getResultStream().map(ServiceView::of)
                            .sorted(java.util.Comparator.comparingLong(ServiceView::id)).toList();
                    own.clear();
                    last = ids.size() < preloadPageSize;
                    after = ids.isEmpty() ? after : ids.get(ids.size() - 1);
                    page = next.iterator();
                }
                return page.hasNext();
            }

            @Override
            public ServiceView next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return page.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false)
                .onClose(own::close);
    }

    /** The service and the ids of its users, in one query; {@code null} if there is none. */
    @CachedRead(cache = "services", key = "service-{serviceId}")
    public ServiceView service(long serviceId) {
        return em.createQuery("select distinct s from Service s left join fetch s.memberships where s.id = :id",
                        Service.class)
                .setParameter("id", serviceId)
                .getResultStream().findFirst().map(ServiceView::of).orElse(null);
    }

    /**
     * Changes the service's name or settings. The entry is named by key, the other style the library supports:
     * the {@code services} cache is filled by a bulk preload ({@link #allServices}), and entries a preload writes
     * know neither tags nor the entities they were built from, so only a key reaches them.
     */
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
