package org.layeredcache.internal.task;

import org.eclipse.microprofile.config.ConfigProvider;
import org.layeredcache.TaskStatus;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.cluster.SharedMap;
import org.layeredcache.internal.config.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the tasks of the cluster are written, so that every node reads them: statuses ({@value #STATUSES}), one
 * pending flag per scope ({@value #PENDING}) and cancellation requests ({@value #CANCELS}), three cluster maps of
 * strings. An ended task's status and a cancellation are kept {@code layered-cache.tasks.keep} (1h). Thread-safe.
 */
final class TaskStore {

    static final String STATUSES = "layered-cache-task-statuses";
    static final String PENDING = "layered-cache-task-pending";
    static final String CANCELS = "layered-cache-task-cancels";

    private final CacheRegistry registry;
    private final long keepSeconds;

    TaskStore(CacheRegistry registry) {
        this.registry = registry;
        this.keepSeconds = ConfigProvider.getConfig().getOptionalValue("layered-cache.tasks.keep", String.class)
                .map(Durations::parse).orElse(Duration.ofHours(1)).toSeconds();
    }

    /** The status of a task that has not ended yet. */
    void save(TaskStatus status) {
        statuses().put(status.id(), StatusText.write(status), 0);
    }

    /** Keeps the ended task's status for {@code layered-cache.tasks.keep} and releases its scope. */
    void ended(TaskStatus ended) {
        statuses().put(ended.id(), StatusText.write(ended), keepSeconds);
        pending().remove(ended.scope(), ended.id());
    }

    Optional<TaskStatus> status(String id) {
        return Optional.ofNullable(statuses().get(id)).map(StatusText::read);
    }

    List<TaskStatus> all() {
        return statuses().values().stream().map(StatusText::read).toList();
    }

    /** Flags {@code scope} pending for task {@code id}; the id of the task that holds the flag already, or null. */
    String flag(String scope, String id) {
        return pending().putIfAbsent(scope, id);
    }

    /** Releases the scope's flag if {@code id} holds it. */
    void release(String scope, String id) {
        pending().remove(scope, id);
    }

    /** Releases the scope's flag whoever holds it; whether there was one. */
    boolean clear(String scope) {
        return pending().remove(scope) != null;
    }

    void requestCancel(String id) {
        cancels().put(id, "cancel", keepSeconds);
    }

    boolean cancelRequested(String id) {
        return cancels().get(id) != null;
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
