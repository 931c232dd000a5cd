package org.layeredcache.internal.task;

import org.layeredcache.CacheTasks;
import org.layeredcache.TaskStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running task's progress: saved to the cluster ({@link TaskStore}) at most every {@link #SAVE_EVERY} (and when
 * the total is told), which is also how often it looks for a cancellation; steps not saved yet are saved that long
 * after the last save, even when the work stalls. Thread-safe.
 */
final class TaskProgress implements CacheTasks.Progress {

    /** How often a running task saves its progress and looks for a cancellation. */
    static final Duration SAVE_EVERY = Duration.ofMillis(250);

    private final TaskStatus task;
    private final Instant started;
    private final TaskStore store;
    private final Executor executor;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long total;
    private volatile long nextSave;
    private volatile boolean cancelled;
    private volatile boolean saveScheduled;
    private boolean ended;

    /** @param executor where a save that the work's stalling would delay runs */
    TaskProgress(TaskStatus task, Instant started, TaskStore store, Executor executor) {
        this.task = task;
        this.started = started;
        this.store = store;
        this.executor = executor;
        this.nextSave = System.nanoTime() + SAVE_EVERY.toNanos();
    }

    /** The task's status with this progress. */
    TaskStatus now(String state, Instant endedAt, String error) {
        return new TaskStatus(task.id(), task.scope(), task.description(), state, done.get(), total,
                skipped.get(), failed.get(), task.node(), task.requested(), started, endedAt, error);
    }

    /** The final status; no "running" status is saved after it. */
    synchronized TaskStatus end(String state, String error) {
        ended = true;
        return now(state, Instant.now(), error);
    }

    private synchronized void saveRunning() {
        if (!ended) {
            store.save(now("running", null, null));
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
            cancelled = store.cancelRequested(task.id());
        } else if (!saveScheduled) {
            saveScheduled = true;
            CompletableFuture.delayedExecutor(Math.max(0, nextSave - now), TimeUnit.NANOSECONDS, executor)
                    .execute(() -> {
                        saveScheduled = false;
                        saveRunning();
                    });
        }
        return cancelled;
    }
}
