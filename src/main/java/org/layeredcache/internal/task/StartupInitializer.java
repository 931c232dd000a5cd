package org.layeredcache.internal.task;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import java.util.Set;

/**
 * Starts the preloads configured to run at start-up ({@link StartupPreloads}) once the web application has started:
 * from a listener added after the application's own, so that what the application writes when it starts (in an
 * EJB {@code @Startup} singleton, or an observer of its start) is there to be preloaded.
 */
public class StartupInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                CDI.current().select(StartupPreloads.class).get().start();
            }
        });
    }
}
