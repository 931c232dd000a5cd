package org.layeredcache.example;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example on its zero-setup default database, embedded H2. */
@ExtendWith(ArquillianExtension.class)
class ExampleOnH2IT extends ExampleContract {

    @Deployment(testable = true)
    static WebArchive deployment() {
        return exampleWar(SMALL_DATA_SET.apply("""
                example.datasource.class=org.h2.jdbcx.JdbcDataSource
                example.datasource.url=jdbc:h2:mem:example-it;DB_CLOSE_DELAY=-1
                example.datasource.user=sa
                example.datasource.password=example
                """));
    }
}
