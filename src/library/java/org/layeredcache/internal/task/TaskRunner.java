package org.layeredcache.internal.task;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.layeredcache.CacheTasks;
import org.layeredcache.TaskPendingException;
import org.layeredcache.TaskStatus;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.CacheOperations;
import org.layeredcache.internal.operation.PreloadOperation;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link CacheTasks} of this deployment, their lifecycle: a task is flagged pending for its scope, queued,
 * started on the server's managed executor after the requesting transaction commits (in request order; never after
 * a rollback), and ends succeeded, failed, cancelled or lost. Its status lives in the cluster ({@link TaskStore}),
 * its progress is saved as it runs ({@link TaskProgress}); preload ({@link PreloadWork}) and warm-up
 * ({@link WarmUp}) are kinds of work. Thread-safe.
 */
@ApplicationScoped
public class TaskRunner implements CacheTasks {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class.getName());

    @Inject
    CacheRegistry registry;

    @Inject
    Instance<TaskChain> chains;

    @Inject
    CacheOperations operations;

    @Inject
    BeanCalls calls;

    private TaskStore store;

    @PostConstruct
    void readSettings() {
        store = new TaskStore(registry);
    }

    @Override
    public TaskStatus start(String scope, String description, Work work) {
        if (scope == null || scope.isBlank()) {
            throw new IllegalArgumentException("CacheTasks.start: the scope is blank; name what the task works on");
        }
        TaskStatus queued = new TaskStatus(UUID.randomUUID().toString(), scope, description, "queued", 0, 0, 0, 0,
                registry.nodeName(), Instant.now(), null, null, null);
        String pending = store.flag(scope, queued.id());
        if (pending != null) {
            Optional<TaskStatus> holder = status(pending);
            if (holder.isEmpty() || !holder.get().pending()) {
                store.release(scope, pending);       // its task was lost or is gone: the flag is free again
                pending = store.flag(scope, queued.id());
            }
        }
        if (pending != null) {
            String id = pending;
            throw new TaskPendingException(status(id).orElse(new TaskStatus(id, scope, "(unknown)", "queued", 0, 0,
                    0, 0, "?", null, null, null, null)));
        }
        store.save(queued);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        CompletableFuture<Void> previous = previousInThisRequest(ended);
        registry.afterCompletion(
                () -> previous.whenComplete((done, failure) -> submit(queued, work, ended)),
                () -> {
                    finish(queued, "cancelled", 0, 0, null, "the requesting transaction rolled back");
                    ended.complete(null);
                });
        return queued;
    }

    private CompletableFuture<Void> previousInThisRequest(CompletableFuture<Void> ended) {
        try {
            return chains.get().append(ended);
        } catch (ContextNotActiveException noRequest) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private void submit(TaskStatus queued, Work work, CompletableFuture<Void> ended) {
        try {
            registry.executor().execute(() -> {
                try {
                    run(queued, work);
                } finally {
                    ended.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            finish(queued, "failed", 0, 0, Instant.now(), "the executor refused the task: " + e);
            ended.complete(null);
        }
    }

    private void run(TaskStatus queued, Work work) {
        Instant started = Instant.now();
        if (store.cancelRequested(queued.id())) {
            finish(queued, "cancelled", 0, 0, started, "cancelled before it started");
            return;
        }
        TaskProgress progress = new TaskProgress(queued, started, store, registry.executor());
        store.save(progress.now("running", null, null));
        try {
            work.run(progress);
            finish(progress.end("succeeded", null));
        } catch (CancellationException e) {
            finish(progress.end("cancelled", "cancelled while running"));
        } catch (Exception | LinkageError e) {
            LOG.log(Level.WARNING, "Cache task " + queued.id() + " (" + queued.description() + ") failed", e);
            finish(progress.end("failed", String.valueOf(e)));
        }
    }

    @Override
    public boolean cancel(String id) {
        Optional<TaskStatus> task = status(id);
        if (task.isEmpty() || !task.get().pending()) {
            return false;
        }
        store.requestCancel(id);
        return true;
    }

    @Override
    public TaskStatus preload(String cache) {
        PreloadOperation preload = operations.preload(cache).orElseThrow(() -> new IllegalArgumentException(
                "preload: no @Preloads method fills cache '" + cache + "'; the caches with one are "
                        + new java.util.TreeSet<>(operations.preloadedCaches())));
        return start("preload " + cache, "preload cache '" + cache + "' from " + preload.method().getDeclaringClass()
                .getSimpleName() + "#" + preload.method().getName(), new PreloadWork(preload, calls, registry));
    }

    @Override
    public TaskStatus warmUp(String cache, List<String> keys) {
        WarmUp warmUp = new WarmUp(cache, keys, operations, calls);
        return start("warm-up " + cache, "warm up " + keys.size() + " key(s) of cache '" + cache + "'", warmUp);
    }

    private void finish(TaskStatus task, String state, long done, long total, Instant started, String error) {
        finish(new TaskStatus(task.id(), task.scope(), task.description(), state, done, total, task.skipped(),
                task.failed(), task.node(), task.requested(), started, Instant.now(), error));
    }

    private void finish(TaskStatus ended) {
        store.ended(ended);
    }

    @Override
    public Optional<TaskStatus> status(String id) {
        return store.status(id).map(this::unlessLost);
    }

    @Override
    public List<TaskStatus> recent() {
        return store.all().stream().map(this::unlessLost)
                .sorted(Comparator.comparing(TaskStatus::requested, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    /**
     * A pending task whose node has left the cluster will never end: it is marked {@code lost} and its scope's
     * pending flag released, as soon as the cluster has noticed that the node is gone (Hazelcast's failure
     * detection is the bound).
     */
    private TaskStatus unlessLost(TaskStatus task) {
        if (!task.pending()) {
            return task;
        }
        return registry.liveNodes().filter(live -> !live.contains(task.node())).map(gone -> {
            finish(task, "lost", task.done(), task.total(), task.started(), "its node " + task.node()
                    + " left the cluster before the task ended");
            return status(task.id()).orElse(task);
        }).orElse(task);
    }

    @Override
    public boolean clearPending(String scope) {
        return store.clear(scope);
    }
}
