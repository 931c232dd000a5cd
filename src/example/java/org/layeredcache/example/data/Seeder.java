package org.layeredcache.example.data;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJBException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fills an empty database when the service starts (a database that already holds services is left alone). Nodes
 * that start together on one database seed it once: see {@link SeedClaim}.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Seeder {

    private static final Logger LOG = Logger.getLogger(Seeder.class.getName());

    @Inject
    SeedData data;

    @Inject
    @ConfigProperty(name = "example.seed.services", defaultValue = "2000")
    int services;

    @Inject
    @ConfigProperty(name = "example.seed.users", defaultValue = "4000")
    int users;

    @PostConstruct
    void seed() {
        try {
            if (!data.empty()) {
                LOG.info("The database already holds the example data; not seeding");
                return;
            }
            long started = System.nanoTime();
            data.write(services, users);
            LOG.info(() -> "Seeded " + services + " services, " + users + " users and "
                    + services * SeedData.TEMPLATES_PER_SERVICE + " templates in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (EJBException e) {
            if (!data.empty()) {
                // Another node starting at the same time on the same database claimed the seeding first.
                LOG.info("Another node seeded the database at the same time; not seeding");
                return;
            }
            LOG.log(Level.SEVERE, "Seeding the example data failed", e);
        }
    }
}
