package org.layeredcache.it;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
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
        return start(work).get(60, TimeUnit.SECONDS);
    }

    /** Starts {@code work} as a separate request and returns at once; {@code thread} learns which thread runs it. */
    public <T> Future<T> start(Callable<T> work, CompletableFuture<Thread> thread) {
        return start(() -> {
            thread.complete(Thread.currentThread());
            return work.call();
        });
    }

    private <T> Future<T> start(Callable<T> work) {
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
        });
    }
}
