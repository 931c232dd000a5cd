package org.layeredcache;

/** A task was refused because another task of the same scope is pending; it names that task. */
public class TaskPendingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TaskStatus pending;

    public TaskPendingException(TaskStatus pending) {
        super("a task of scope '" + pending.scope() + "' is " + pending.state() + ": " + pending.id() + " ("
                + pending.description() + ")");
        this.pending = pending;
    }

    /** The pending task. */
    public TaskStatus pending() {
        return pending;
    }
}
