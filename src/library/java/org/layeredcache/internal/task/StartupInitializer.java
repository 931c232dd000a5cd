package org.layeredcache.internal.task;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.layeredcache.internal.cache.CacheRegistry;

import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the library does as the web application starts, from a listener added after the application's own: first
 * it warms up the caches' value form with entries the cluster already holds ({@link CacheRegistry#warmUpValueForms},
 * before the application takes requests), then it starts the preloads configured to run at start-up
 * ({@link StartupPreloads}), so that what the application writes when it starts (in an EJB {@code @Startup}
 * singleton, or an observer of its start) is there to be preloaded.
 */
public class StartupInitializer implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(StartupInitializer.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                try {
                    Map<String, Integer> warmed = CDI.current().select(CacheRegistry.class).get().warmUpValueForms();
                    if (!warmed.isEmpty()) {
                        LOG.info(() -> "Value form warmed up with the cluster's entries, per cache: " + warmed);
                    }
                } catch (RuntimeException e) {          // caching must never stop the application from starting
                    LOG.log(Level.WARNING, "The caches' value form was not warmed up", e);
                }
                try {
                    CDI.current().select(StartupPreloads.class).get().start();
                } catch (RuntimeException e) {          // caching must never stop the application from starting
                    LOG.log(Level.WARNING, "The preloads configured to run at start-up were not started", e);
                }
            }
        });
    }
}
