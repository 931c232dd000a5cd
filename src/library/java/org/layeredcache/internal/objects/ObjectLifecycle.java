package org.layeredcache.internal.objects;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the periodic store of shared objects ({@link ClusterObjects}) once the web application has started, and
 * stores a last time when it stops, while the application's beans and persistence unit still answer.
 */
public class ObjectLifecycle implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(ObjectLifecycle.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                try {
                    CDI.current().select(ClusterObjects.class).get().start();
                } catch (RuntimeException e) {          // caching must never stop the application from starting
                    LOG.log(Level.WARNING, "The store of shared objects was not started: changes stay in the"
                            + " cluster", e);
                }
            }

            @Override
            public void contextDestroyed(ServletContextEvent event) {
                try {
                    CDI.current().select(ClusterObjects.class).get().stop();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "The last store of shared objects did not run: changes stay in the"
                            + " cluster", e);
                }
            }
        });
    }
}
