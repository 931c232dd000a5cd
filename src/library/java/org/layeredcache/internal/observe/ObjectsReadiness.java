package org.layeredcache.internal.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.layeredcache.SharedObjectStatus;
import org.layeredcache.SharedObjects;
import org.layeredcache.internal.cache.CacheRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The readiness check's detail for one kind of shared object: how many changed objects wait to be stored, for how
 * long, and whether that exceeds {@code layered-cache.objects.max-lag}. Finding out asks the cluster, which a
 * frozen member can keep from answering: the detail waits for the answer at most {@link #WAIT} and then says it
 * does not know; a question still on its way is waited for again rather than asked anew. Thread-safe.
 */
@ApplicationScoped
public class ObjectsReadiness {

    /** How long a detail waits for the cluster's answer. */
    static final Duration WAIT = Duration.ofSeconds(1);

    @Inject
    SharedObjects objects;

    @Inject
    CacheRegistry registry;

    /** The last question about each kind, answered or still on its way. */
    private final Map<String, CompletableFuture<SharedObjectStatus>> asked = new ConcurrentHashMap<>();

    /** The detail for kind {@code name}, within about {@link #WAIT}. */
    public String detail(String name) {
        CompletableFuture<SharedObjectStatus> question = asked.compute(name, (kind, last) ->
                last != null && !last.isDone() ? last
                        : CompletableFuture.supplyAsync(() -> objects.status(kind), registry.executor()));
        try {
            SharedObjectStatus status = question.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return status.pending() + " changed objects not stored yet, the oldest for " + status.lag().toMillis()
                    + " ms (max-lag " + status.maxLag().toMillis() + " ms)"
                    + (status.lagExceeded() ? "; the database is behind by more than max-lag" : "");
        } catch (TimeoutException late) {
            return "unknown: the cluster did not answer within " + WAIT.toMillis() + " ms";
        } catch (ExecutionException e) {
            return "unknown: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown: interrupted";
        }
    }
}
