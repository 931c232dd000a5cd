package org.layeredcache.it;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Runs work as a separate request would: on a managed thread, outside the caller's transaction, in a request
 * context of its own. In-container tests run inside one HTTP request; this is how they make a second one.
 */
@ApplicationScoped
public class Requests {

    @Resource
    ManagedExecutorService executor;

    @Inject
    Instance<RequestContextController> controllers;

    public <T> T run(Callable<T> work) throws Exception {
        return executor.submit(() -> {
            RequestContextController request = controllers.get();
            if (!request.activate()) {
                throw new IllegalStateException("the managed thread already had a request context");
            }
            try {
                return work.call();
            } finally {
                request.deactivate();
            }
        }).get(60, TimeUnit.SECONDS);
    }
}
