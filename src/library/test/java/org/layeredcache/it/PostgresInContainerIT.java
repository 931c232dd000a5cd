package org.layeredcache.it;

import jakarta.annotation.sql.DataSourceDefinition;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layeredcache.testing.PostgresSchema;

import java.io.File;
import java.sql.SQLException;

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
        return TestWars.war("layered-cache-postgres", "persistence-postgres.xml", "it.datasource.url=" + schema.url())
                .addClasses(TransactionContract.class)
                .addAsLibrary(new File(TestWars.buildDirectory(), "war-libs/postgresql.jar"));
    }
}
