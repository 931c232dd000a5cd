package org.layeredcache.internal.task;

import jakarta.enterprise.context.RequestScoped;

import java.util.concurrent.CompletableFuture;

/** The tasks requested in the current request, so that each starts after the one requested before it ends. */
@RequestScoped
public class TaskChain {

    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

    /** The end of the last task requested in this request; {@code next} is the new last. */
    synchronized CompletableFuture<Void> append(CompletableFuture<Void> next) {
        CompletableFuture<Void> previous = last;
        last = next;
        return previous;
    }
}
