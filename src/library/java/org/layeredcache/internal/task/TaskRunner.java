package org.layeredcache.internal.task;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.layeredcache.CacheTasks;
import org.layeredcache.TaskPendingException;
import org.layeredcache.TaskStatus;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.config.Durations;
import org.layeredcache.internal.operation.BeanCalls;
import org.layeredcache.internal.operation.CacheOperations;
import org.layeredcache.internal.operation.PreloadOperation;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link CacheTasks} of this deployment: statuses and pending flags in two cluster maps, work on the
 * server's managed executor after the requesting transaction commits, in request order. Thread-safe.
 */
@ApplicationScoped
public class TaskRunner implements CacheTasks {

    static final String STATUSES = "layered-cache-task-statuses";
    static final String PENDING = "layered-cache-task-pending";
    static final String CANCELS = "layered-cache-task-cancels";
    /** How often a running task saves its progress and looks for a cancellation. */
    static final Duration SAVE_EVERY = Duration.ofMillis(250);
    private static final Logger LOG = Logger.getLogger(TaskRunner.class.getName());

    @Inject
    CacheRegistry registry;

    @Inject
    Instance<TaskChain> chains;

    @Inject
    CacheOperations operations;

    @Inject
    BeanCalls calls;

    private long keepSeconds;

    @PostConstruct
    void readSettings() {
        keepSeconds = ConfigProvider.getConfig().getOptionalValue("layered-cache.tasks.keep", String.class)
                .map(Durations::parse).orElse(Duration.ofHours(1)).toSeconds();
    }

    @Override
    public TaskStatus start(String scope, String description, Work work) {
        if (scope == null || scope.isBlank()) {
            throw new IllegalArgumentException("CacheTasks.start: the scope is blank; name what the task works on");
        }
        TaskStatus queued = new TaskStatus(UUID.randomUUID().toString(), scope, description, "queued", 0, 0, 0, 0,
                registry.nodeName(), Instant.now(), null, null, null);
        String pending = pending().putIfAbsent(scope, queued.id());
        if (pending != null) {
            Optional<TaskStatus> holder = status(pending);
            if (holder.isEmpty() || !holder.get().pending()) {
                pending().remove(scope, pending);    // its task was lost or is gone: the flag is free again
                pending = pending().putIfAbsent(scope, queued.id());
            }
        }
        if (pending != null) {
            String id = pending;
            throw new TaskPendingException(status(id).orElse(new TaskStatus(id, scope, "(unknown)", "queued", 0, 0,
                    0, 0, "?", null, null, null, null)));
        }
        save(queued);
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
        if (cancels().get(queued.id()) != null) {
            finish(queued, "cancelled", 0, 0, started, "cancelled before it started");
            return;
        }
        Running progress = new Running(queued, started);
        save(progress.now("running", null, null));
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

    /**
     * A running task's progress: saved to the cluster at most every {@link #SAVE_EVERY} (and when the total is
     * told), which is also how often it looks for a cancellation; steps not saved yet are saved that long after
     * the last save, even when the work stalls.
     */
    private final class Running implements Progress {

        private final TaskStatus task;
        private final Instant started;
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private volatile long total;
        private volatile long nextSave;
        private volatile boolean cancelled;
        private volatile boolean saveScheduled;
        private boolean ended;

        Running(TaskStatus task, Instant started) {
            this.task = task;
            this.started = started;
            this.nextSave = System.nanoTime() + SAVE_EVERY.toNanos();
        }

        /** The task's status with this progress. */
        TaskStatus now(String state, Instant ended, String error) {
            return new TaskStatus(task.id(), task.scope(), task.description(), state, done.get(), total,
                    skipped.get(), failed.get(), task.node(), task.requested(), started, ended, error);
        }

        /** The final status; no "running" status is saved after it. */
        synchronized TaskStatus end(String state, String error) {
            ended = true;
            return now(state, Instant.now(), error);
        }

        private synchronized void saveRunning() {
            if (!ended) {
                save(now("running", null, null));
            }
        }

        @Override
        public void total(long steps) {
            total = steps;
            saveRunning();
        }

        @Override
        public void step() {
            done.incrementAndGet();
            if (cancelled()) {
                throw new CancellationException("task " + task.id() + " was cancelled");
            }
        }

        @Override
        public void skipped() {
            skipped.incrementAndGet();
            step();
        }

        @Override
        public void failed() {
            failed.incrementAndGet();
            step();
        }

        @Override
        public boolean cancelled() {
            long now = System.nanoTime();
            if (!cancelled && now - nextSave >= 0) {
                nextSave = now + SAVE_EVERY.toNanos();
                saveRunning();
                cancelled = cancels().get(task.id()) != null;
            } else if (!saveScheduled) {
                saveScheduled = true;
                CompletableFuture.delayedExecutor(Math.max(0, nextSave - now), TimeUnit.NANOSECONDS,
                        registry.executor()).execute(() -> {
                            saveScheduled = false;
                            saveRunning();
                        });
            }
            return cancelled;
        }
    }

    @Override
    public boolean cancel(String id) {
        Optional<TaskStatus> task = status(id);
        if (task.isEmpty() || !task.get().pending()) {
            return false;
        }
        cancels().put(id, "cancel", keepSeconds);
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

    /** Keeps the ended task's status for {@code layered-cache.tasks.keep} and releases its scope. */
    private void finish(TaskStatus ended) {
        statuses().put(ended.id(), StatusText.write(ended), keepSeconds);
        pending().remove(ended.scope(), ended.id());
    }

    private void save(TaskStatus status) {
        statuses().put(status.id(), StatusText.write(status), 0);
    }

    @Override
    public Optional<TaskStatus> status(String id) {
        return Optional.ofNullable(statuses().get(id)).map(StatusText::read).map(this::unlessLost);
    }

    @Override
    public List<TaskStatus> recent() {
        return statuses().values().stream().map(StatusText::read).map(this::unlessLost)
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
        return pending().remove(scope) != null;
    }

    private SharedMap statuses() {
        return registry.sharedMap(STATUSES);
    }

    private SharedMap cancels() {
        return registry.sharedMap(CANCELS);
    }

    private SharedMap pending() {
        return registry.sharedMap(PENDING);
    }
}
