package org.layeredcache.internal.task;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the preloads configured to run at start-up ({@link StartupPreloads}) once the web application has started:
 * from a listener added after the application's own, so that what the application writes when it starts (in an
 * EJB {@code @Startup} singleton, or an observer of its start) is there to be preloaded.
 */
public class StartupInitializer implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(StartupInitializer.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                try {
                    CDI.current().select(StartupPreloads.class).get().start();
                } catch (RuntimeException e) {          // caching must never stop the application from starting
                    LOG.log(Level.WARNING, "The preloads configured to run at start-up were not started", e);
                }
            }
        });
    }
}
