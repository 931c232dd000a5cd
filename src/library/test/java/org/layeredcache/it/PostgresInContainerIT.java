package org.layeredcache.it;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layeredcache.testing.PostgresSchema;

import java.io.File;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The transaction rules again, on PostgreSQL (127.0.0.1:5432, database test, trust authentication), in a new
 * schema of this run's own.
 */
@ExtendWith(ArquillianExtension.class)
@DataSourceDefinition(name = "java:app/jdbc/layered-cache-it",
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${MPCONFIG=it.datasource.url}",
        user = "postgres")
class PostgresInContainerIT extends TransactionContract {

    @Deployment
    static WebArchive deployment() throws SQLException {
        PostgresSchema schema = PostgresSchema.create("transactions_it");
        return TestWars.war("layered-cache-postgres", "persistence-postgres.xml", "it.datasource.url=" + schema.url()
                        + "\nlayered-cache.jsr107.timing=specification"
                        + "\nlayered-cache.cache.it-audited.audit.enabled=true"
                        + "\nlayered-cache.cache.it-audited.audit.period=200ms"
                        + "\nlayered-cache.cache.it-audited.audit.recheck-after=500ms")
                .addClasses(TransactionContract.class, StandardLookups.class)
                .addAsLibrary(new File(TestWars.buildDirectory(), "war-libs/postgresql.jar"));
    }

    @Inject
    StandardLookups standard;

    /**
     * With {@code layered-cache.jsr107.timing=specification}, a JSR-107 removal happens when the method returns, as
     * the specification times it, inside the transaction: another request reloads at once, before the commit (with
     * the default timing, H2InContainerIT shows the old entry served until the commit).
     */
    @Test
    void theSpecificationsTimingRemovesWhenTheMethodReturnsBeforeTheCommit() throws Exception {
        long id = newId();
        String first = requests.run(() -> standard.find(id));
        int runs = loads.runs("standard");

        transaction.begin();
        try {
            standard.delete(id);
            assertNotEquals(first, requests.run(() -> standard.find(id)), "removed before the commit");
            assertEquals(runs + 1, loads.runs("standard"));
        } finally {
            transaction.rollback();
        }
    }
}
