package org.layeredcache.example;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The example on PostgreSQL (127.0.0.1:5432, database test), in a schema of its own that the test empties first,
 * so that the data set is the small one and other users of the database are left alone.
 */
@ExtendWith(ArquillianExtension.class)
class ExampleOnPostgresIT extends ExampleContract {

    static final String SCHEMA = "layered_cache_example_it";

    @Deployment(testable = true)
    static WebArchive deployment() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + SCHEMA + " cascade");
            statement.execute("create schema " + SCHEMA);
        }
        return exampleWar(SMALL_DATA_SET.apply("""
                example.datasource.class=org.postgresql.ds.PGSimpleDataSource
                example.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=%s
                example.datasource.user=postgres
                example.datasource.password=unused
                """.formatted(SCHEMA)));
    }
}
