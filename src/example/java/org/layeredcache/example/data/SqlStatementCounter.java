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

    /** Statements sent since the application started. */
    public static long statements() {
        return STATEMENTS.get();
    }

    @Override
    public void preExecuteCall(SessionEvent event) {
        STATEMENTS.incrementAndGet();
    }
}
