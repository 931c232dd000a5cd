package org.layeredcache.example.data;

import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the SQL statements JPA sends to the database, so that a test can prove a cold page load costs one
 * query per cached read and no N+1. Registered in persistence.xml ({@code eclipselink.session-event-listener}).
 */
public class SqlStatementCounter extends SessionEventAdapter {

    private static final AtomicLong STATEMENTS = new AtomicLong();
    private static final ThreadLocal<Boolean> PAUSED = ThreadLocal.withInitial(() -> false);

    /** Statements sent since the application started. */
    public static long statements() {
        return STATEMENTS.get();
    }

    /**
     * Runs {@code work} without counting its statements: the background flush of the view counter, which runs
     * whenever pages were viewed and is no part of what a request costs.
     */
    public static void notCounting(Runnable work) {
        PAUSED.set(true);
        try {
            work.run();
        } finally {
            PAUSED.set(false);
        }
    }

    @Override
    public void preExecuteCall(SessionEvent event) {
        if (!PAUSED.get()) {
            STATEMENTS.incrementAndGet();
        }
    }
}
