package org.layeredcache.example;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.layeredcache.CacheTasks;
import org.layeredcache.TaskStatus;
import org.layeredcache.example.data.TemplateStore;
import org.layeredcache.example.data.TemplateSummary;

import java.util.List;

/**
 * Story 4's long cache work: warming a service's templates and their versions after a big write, in the
 * background ({@link CacheTasks}), one rebuild per service at a time. Each step pauses
 * {@code example.rebuild.step-pause-ms} to stand for the heavy queries of a real rebuild.
 */
@ApplicationScoped
public class Rebuilds {

    @Inject
    CacheTasks tasks;

    @Inject
    TemplateStore templates;

    @Inject
    @ConfigProperty(name = "example.rebuild.step-pause-ms", defaultValue = "500")
    long stepPauseMillis;

    /**
     * Starts the rebuild of one service's caches.
     *
     * @throws org.layeredcache.TaskPendingException if that service's rebuild is pending
     */
    public TaskStatus start(long serviceId) {
        return tasks.start("rebuild service " + serviceId, "warm the templates of service " + serviceId
                + " and their versions", progress -> {
                    List<TemplateSummary> list = templates.templatesOf(serviceId);
                    progress.total(list.size() + 1L);
                    pause();
                    progress.step();
                    for (TemplateSummary template : list) {
                        templates.versions(template.id());
                        pause();
                        progress.step();
                    }
                });
    }

    private void pause() throws InterruptedException {
        Thread.sleep(stepPauseMillis);
    }
}
