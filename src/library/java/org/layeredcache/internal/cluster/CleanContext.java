package org.layeredcache.internal.cluster;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs setup work (obtaining a cluster cache or topic) on a short-lived thread of its own, which carries no
 * application context, and waits for it.
 *
 * <p>Why: when a Hazelcast object is first created, Payara's Hazelcast saves the calling thread's application
 * context with it and re-enters that very context around every operation it runs for the object on its own
 * threads. Created from a user's request, a cache then drags that request's non-transactional JPA entity managers
 * along and closes them behind the request's back: cache operations fail, and the request itself may answer 500.
 * Even a context without a request costs: entering it looks up the application's CDI bean manager, by walking the
 * stack, around every single operation of the object. A thread with no application context at all makes Payara
 * save none, and the library's objects need none: everything they store is compared in serialized form.
 *
 * <p>The thread inherits no inheritable thread locals: the server keeps the invocation context in one, and a
 * thread started from a request would otherwise carry a copy of the request's context. Outside Payara this costs
 * one thread per setup.
 */
public final class CleanContext {

    private CleanContext() {
    }

    /** Runs {@code work} on a fresh thread without application context, waiting at most {@code timeoutMillis}. */
    public static <T> T call(Callable<T> work, long timeoutMillis) {
        return await(start(work), timeoutMillis);
    }

    /** Starts {@code work} on a fresh thread without application context; its result, once there is one. */
    public static <T> CompletableFuture<T> start(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                result.complete(work.call());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        };
        Thread thread = new Thread(null, task, "layered-cache-setup", 0, false);   // no inherited context
        thread.setDaemon(true);
        thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        thread.start();
        return result;
    }

    /**
     * Waits at most {@code timeoutMillis} for setup work that {@link #start} started; the work goes on when the
     * wait ends, so a later wait may find it done.
     */
    public static <T> T await(CompletableFuture<T> result, long timeoutMillis) {
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cache setup took more than " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during cache setup", e);
        }
    }
}
