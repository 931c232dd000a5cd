package org.layeredcache.internal.counter;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the counters' periodic flush ({@link ClusterCounters}) once the web application has started, and flushes
 * a last time when it stops, while the application's beans and persistence unit still answer.
 */
public class CounterLifecycle implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(CounterLifecycle.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                try {
                    CDI.current().select(ClusterCounters.class).get().start();
                } catch (RuntimeException e) {          // caching must never stop the application from starting
                    LOG.log(Level.WARNING, "The counters' flush was not started: additions stay in the cluster", e);
                }
            }

            @Override
            public void contextDestroyed(ServletContextEvent event) {
                try {
                    CDI.current().select(ClusterCounters.class).get().stop();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "The counters' last flush did not run: additions stay in the cluster", e);
                }
            }
        });
    }
}
