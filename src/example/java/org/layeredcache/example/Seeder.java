package org.layeredcache.example;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.logging.Logger;

/** Fills an empty database with a realistic data set when the service starts. */
@Singleton
@Startup
public class Seeder {

    private static final Logger LOG = Logger.getLogger(Seeder.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    @ConfigProperty(name = "example.seed.services", defaultValue = "2000")
    int services;

    @PostConstruct
    void seed() {
        long existing = em.createQuery("select count(s) from Service s", Long.class).getSingleResult();
        if (existing > 0) {
            LOG.info(() -> "Database already holds " + existing + " services; not seeding");
            return;
        }
        for (long id = 1; id <= services; id++) {
            em.persist(new Service(id, "Service " + id, settings(id)));
            if (id % 500 == 0) {
                em.flush();
                em.clear();
            }
        }
        LOG.info(() -> "Seeded " + services + " services");
    }

    /** About 2-4 KB of settings text per service, different for each. */
    static String settings(long id) {
        StringBuilder text = new StringBuilder();
        int lines = 40 + (int) (id % 40);
        for (int line = 0; line < lines; line++) {
            text.append("setting.").append(line).append(" = value ").append(id * 31 + line).append(" of service ")
                    .append(id).append('\n');
        }
        return text.toString();
    }
}
