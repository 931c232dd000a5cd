package org.layeredcache.example;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;

/** Reads and writes services; the annotations are all the caching there is. */
@Stateless
public class ServiceStore {

    @PersistenceContext
    EntityManager em;

    @CachedRead(cache = "services", key = "service-{serviceId}")
    public ServiceView find(long serviceId) {
        Service service = em.find(Service.class, serviceId);
        return service == null ? null : ServiceView.of(service);
    }

    @Invalidates(cache = "services", key = "service-{serviceId}")
    public ServiceView rename(long serviceId, String name) {
        Service service = em.find(Service.class, serviceId);
        if (service == null) {
            return null;
        }
        service.setName(name);
        return ServiceView.of(service);
    }
}
