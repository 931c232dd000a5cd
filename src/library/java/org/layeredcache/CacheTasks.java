package org.layeredcache;

import java.util.List;
import java.util.Optional;

/**
 * Long cache work in the background (warm-ups, rebuilds after a big write), so that no HTTP call waits for it.
 * Inject it: {@code @Inject CacheTasks tasks;}. Thread-safe.
 *
 * <p>A task runs on the server's {@code ManagedExecutorService}, never on the caller's thread, in a component
 * invocation of its own: the entity managers its work uses without a transaction are its own, never those of the
 * request that started it, and neither's end closes the other's. Requested inside a transaction, it starts only
 * after the commit, and never after a rollback. Tasks requested in one request start one after the other, in the
 * order they were requested. Its {@linkplain TaskStatus status} is kept in the cluster, so every node can tell it,
 * for {@code layered-cache.tasks.keep} (default 1h) after it ended.
 *
 * <p>Each task has a scope (for example {@code "rebuild services/7"}); while one task of a scope is pending
 * (queued or running), starting another of the same scope is refused with {@link TaskPendingException}, which
 * names the pending task. A pending task whose node has left the cluster is reported {@code lost} as soon as the
 * cluster has noticed, and its scope is free again; an operator can also {@linkplain #clearPending clear} a flag.
 */
public interface CacheTasks {

    /** The work of one task, which reports its progress. */
    @FunctionalInterface
    interface Work {
        void run(Progress progress) throws Exception;
    }

    /** What a running task tells about itself. */
    interface Progress {
        /** How many steps the task has in all. */
        void total(long steps);

        /**
         * One more step done.
         *
         * @throws java.util.concurrent.CancellationException when the task was {@linkplain #cancel cancelled}: let it
         *                                                    pass, and the task ends {@code cancelled}
         */
        void step();

        /** One step skipped (counted in done and in skipped), such as a value too large for the cluster. */
        void skipped();

        /** One step failed (counted in done and in failed); the task goes on. */
        void failed();

        /** Whether the task was asked to stop ({@link #cancel}); work that does not call {@link #step} can poll it. */
        boolean cancelled();
    }

    /**
     * Requests a task; it starts after the current transaction commits (at once without one).
     *
     * @param scope       what the task works on; one pending task per scope
     * @param description what it does, for people
     * @return its status, {@code queued}
     * @throws TaskPendingException if a task of the same scope is pending
     */
    TaskStatus start(String scope, String description, Work work);

    /**
     * Warms {@code cache} up in the background: reads each key, written as keys render ({@code service-42}),
     * through the {@code @CachedRead} method whose key template it fits, as a caller would: a key already cached
     * costs a hit, a missing one runs the method and fills every layer. The scope is {@code "warm-up <cache>"}.
     * Keys whose read throws are counted and the task goes on; it fails at the end, naming how many and the first.
     *
     * @param keys the keys, read in this order
     * @return its status, {@code queued}
     * @throws IllegalArgumentException naming the cache or the key, when no annotation names the cache, or a key
     *                                  fits none of its reads whose placeholders are the method's parameters
     * @throws TaskPendingException     if a warm-up of the cache is pending
     */
    TaskStatus warmUp(String cache, List<String> keys);

    /**
     * Preloads {@code cache} in the background from its {@link Preloads} method (see there). The scope is
     * {@code "preload <cache>"}; the status counts the values handled ({@code done}), among them those
     * {@code skipped} (too large for the cluster) and {@code failed}; cancelling stops it after the current chunk.
     *
     * @throws IllegalArgumentException naming the cache, when no {@code @Preloads} method fills it
     * @throws TaskPendingException     if a preload of the cache is pending
     */
    TaskStatus preload(String cache);

    /**
     * Asks a pending task to stop: a queued task will not start, a running one ends {@code cancelled} at its next
     * {@linkplain Progress#step() step}, on whatever node it runs. Whether the task was pending.
     */
    boolean cancel(String id);

    /** The task's status on any node of the cluster; empty when unknown or long ended. */
    Optional<TaskStatus> status(String id);

    /** The tasks known to the cluster, newest first. */
    List<TaskStatus> recent();

    /** Releases the scope's pending flag, as when its task's node died; whether there was one. */
    boolean clearPending(String scope);
}
