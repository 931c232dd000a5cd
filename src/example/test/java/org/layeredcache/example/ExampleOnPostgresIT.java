package org.layeredcache.example;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import org.layeredcache.testing.PostgresSchema;

import java.sql.SQLException;

/**
 * The example on PostgreSQL (127.0.0.1:5432, database test), in a new schema of its own, so that the data set is
 * the small one and other users of the database are left alone. (Arquillian gives the test no hook after the
 * undeployment, so the schema stays; {@link PostgresSchema} drops it a day later.)
 */
@ExtendWith(ArquillianExtension.class)
class ExampleOnPostgresIT extends ExampleContract {

    @Deployment(testable = true)
    static WebArchive deployment() throws SQLException {
        PostgresSchema schema = PostgresSchema.create("example_it");
        return exampleWar(SMALL_DATA_SET.apply("""
                example.datasource.class=org.postgresql.ds.PGSimpleDataSource
                example.datasource.url=%s
                example.datasource.user=postgres
                example.datasource.password=unused
                """.formatted(schema.url())));
    }
}
