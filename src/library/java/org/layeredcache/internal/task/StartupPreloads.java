package org.layeredcache.internal.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.layeredcache.TaskPendingException;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.config.CacheCatalog;
import org.layeredcache.internal.operation.CacheOperations;

import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When the web application has started: the preloads configured to run then ({@code preload.on-start}), each on
 * one node of the cluster only. The first node to mark the cache in a cluster map runs it; the mark lives as long
 * as the entries do (the read's TTL), so a node that starts later, or again, finds it and does nothing. Runs in
 * the background, so that a hanging cluster never holds the deployment.
 */
@ApplicationScoped
public class StartupPreloads {

    static final String STARTED = "layered-cache-preloads-on-start";
    private static final Logger LOG = Logger.getLogger(StartupPreloads.class.getName());

    @Inject
    CacheOperations operations;

    @Inject
    CacheCatalog catalog;

    @Inject
    CacheRegistry registry;

    @Inject
    TaskRunner tasks;

    /** Starts them in the background; called once the web application has started ({@link StartupInitializer}). */
    void start() {
        try {
            registry.executor().execute(this::startConfiguredPreloads);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "The preloads configured to run at start-up could not be started", e);
        }
    }

    private void startConfiguredPreloads() {
        for (String cache : operations.preloadedCaches()) {
            if (!catalog.settings(cache).preloadOnStart()) {
                continue;
            }
            try {
                long seconds = Math.max(1, catalog.settings(cache)
                        .resolve(operations.preload(cache).orElseThrow().times()).ttl().toSeconds());
                String mark = registry.nodeName() + " at " + Instant.now();
                String earlier = registry.sharedMap(STARTED).putIfAbsent(cache, mark, seconds);
                if (earlier != null) {
                    LOG.info(() -> "Cache '" + cache + "': preloaded at start-up by node " + earlier + "; not again");
                    continue;
                }
                String id = tasks.preload(cache).id();
                LOG.info(() -> "Cache '" + cache + "': start-up preload runs on this node as task " + id);
            } catch (TaskPendingException alreadyRunning) {
                LOG.info(() -> "Cache '" + cache + "': a preload is already running: " + alreadyRunning.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Cache '" + cache + "': the start-up preload could not be started", e);
            }
        }
    }
}
