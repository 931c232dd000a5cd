package org.layeredcache.it;

import jakarta.annotation.sql.DataSourceDefinition;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;

/** The transaction rules again, on PostgreSQL (127.0.0.1:5432, database test, trust authentication). */
@ExtendWith(ArquillianExtension.class)
@DataSourceDefinition(name = "java:app/jdbc/layered-cache-it",
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "jdbc:postgresql://127.0.0.1:5432/test",
        user = "postgres")
class PostgresInContainerIT extends TransactionContract {

    @Deployment
    static WebArchive deployment() {
        return TestWars.war("layered-cache-postgres", "persistence-postgres.xml", "")
                .addClasses(TransactionContract.class)
                .addAsLibrary(new File(TestWars.buildDirectory(), "war-libs/postgresql.jar"));
    }
}
