package org.layeredcache.example;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The example service: the admin-over-API story, with its reads cached by annotations. The database is embedded
 * H2 unless configuration (MicroProfile Config: system properties, environment) points it elsewhere.
 */
@ApplicationPath("/")
@DataSourceDefinition(name = "java:app/jdbc/example",
        className = "${MPCONFIG=example.datasource.class}",
        url = "${MPCONFIG=example.datasource.url}",
        user = "${MPCONFIG=example.datasource.user}",
        password = "${MPCONFIG=example.datasource.password}",
        minPoolSize = 4,
        maxPoolSize = 32)
public class ExampleApplication extends Application {
}
