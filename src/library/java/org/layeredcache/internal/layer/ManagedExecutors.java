package org.layeredcache.internal.layer;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Finds where background cache work (refresh-ahead, tasks, preloads) runs: the server's managed executor. */
public final class ManagedExecutors {

    private static final Logger LOG = Logger.getLogger(ManagedExecutors.class.getName());
    private static final String MANAGED_EXECUTOR = "java:comp/DefaultManagedExecutorService";
    private static final String MANAGED_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    private static final String HAND_OFF = "java:module/" + ExecutorHandOff.NAME;

    private ManagedExecutors() {
    }

    /**
     * The server's default {@code ManagedExecutorService}, handed work through {@link ExecutorHandOff}; without one
     * (Java SE, as in the in-process tests), a pool of daemon threads of the library's own, logged once. Not the
     * common fork-join pool: background tasks block (on a database, on a stream), and on a small machine that pool
     * has a single thread.
     */
    public static Executor findDefault() {
        try {
            return handedOff((ExecutorService) new InitialContext().lookup(MANAGED_EXECUTOR));
        } catch (NamingException | RuntimeException notThere) {
            LOG.log(Level.FINE, MANAGED_EXECUTOR + " is not available", notThere);
        }
        LOG.info("No " + MANAGED_EXECUTOR + ": background cache work runs in daemon threads of the library's own");
        return Executors.newCachedThreadPool(work -> {
            Thread thread = new Thread(work, "layered-cache-background");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The managed executor, given work through {@link ExecutorHandOff}, so that the work never shares the submitting
     * invocation's entity managers; the executor itself, if the deployment has no such bean (logged).
     */
    private static Executor handedOff(Executor managed) {
        try {
            ExecutorHandOff handOff = (ExecutorHandOff) new InitialContext().lookup(HAND_OFF);
            return work -> {
                RuntimeException refused = handOff.execute(managed, work);
                if (refused != null) {
                    throw refused;
                }
            };
        } catch (NamingException | RuntimeException notThere) {
            LOG.log(Level.WARNING, "No " + HAND_OFF + ": background cache work is submitted from the requesting"
                    + " thread, and on Payara shares its entity managers", notThere);
            return managed;
        }
    }

    /**
     * Where short periodic work (heartbeats) runs, and whether the library owns it (then whoever asked shuts it
     * down when done).
     */
    public record Scheduler(java.util.concurrent.ScheduledExecutorService service, boolean own) {
    }

    /**
     * The server's default {@code ManagedScheduledExecutorService}; without one (Java SE, as in the in-process
     * tests), one daemon thread of the library's own, logged once.
     */
    public static Scheduler findScheduler() {
        try {
            return new Scheduler((java.util.concurrent.ScheduledExecutorService) new InitialContext()
                    .lookup(MANAGED_SCHEDULER), false);
        } catch (NamingException | RuntimeException notThere) {
            LOG.log(Level.FINE, MANAGED_SCHEDULER + " is not available", notThere);
        }
        if (!ownSchedulerLogged) {
            ownSchedulerLogged = true;
            LOG.info("No " + MANAGED_SCHEDULER + ": periodic cache work runs in a daemon thread of the library's own");
        }
        return new Scheduler(Executors.newSingleThreadScheduledExecutor(work -> {
            Thread thread = new Thread(work, "layered-cache-periodic");
            thread.setDaemon(true);
            return thread;
        }), true);
    }

    private static volatile boolean ownSchedulerLogged;
}
