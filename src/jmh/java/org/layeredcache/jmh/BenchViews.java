package org.layeredcache.jmh;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.FlushesCounter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counter benchmark's data in PostgreSQL (the preload benchmark's data source): table {@value #TABLE}, one row
 * per key, written three ways: by the flushes of counter {@value #COUNTER} (column {@code counted}), by those of
 * counter {@value #HELD}, which does not wait for the cluster (column {@code held}), and by one
 * {@code UPDATE ... n = n + 1} per addition (the baseline, into column {@code direct}). The flush method of
 * {@value #COUNTER} counts its statements and keeps when each of its calls began and ended, for the lag.
 */
@ApplicationScoped
public class BenchViews {

    static final String COUNTER = "bench-views";
    static final String HELD = "bench-views-held";
    static final String TABLE = "layered_cache_bench_views";
    static final int KEYS = 10;

    static final AtomicLong FLUSH_STATEMENTS = new AtomicLong();
    static final AtomicLong FLUSH_CALLS = new AtomicLong();
    /** {start, end} of each flush method call, in System.nanoTime(). */
    static final ConcurrentLinkedQueue<long[]> FLUSHES = new ConcurrentLinkedQueue<>();

    @Resource(lookup = "java:app/jdbc/bench")
    DataSource database;

    /** Makes the table hold one row per key, all at 0. */
    public void reset() throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists " + TABLE);
            statement.execute("create table " + TABLE + " (id bigint primary key, counted bigint not null,"
                    + " held bigint not null, direct bigint not null)");
            statement.execute("insert into " + TABLE + " select g, 0, 0, 0 from generate_series(1, " + KEYS + ") g");
        }
        FLUSH_STATEMENTS.set(0);
        FLUSH_CALLS.set(0);
        FLUSHES.clear();
    }

    /** The baseline: one autocommitted update per addition, on a pooled connection. */
    public void updateDirectly(long key) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement("update " + TABLE
                     + " set direct = direct + 1 where id = ?")) {
            update.setLong(1, key);
            update.executeUpdate();
        }
    }

    @FlushesCounter(COUNTER)
    public void persist(Map<Long, Long> deltas) throws SQLException {
        long started = System.nanoTime();
        FLUSH_CALLS.incrementAndGet();
        add("counted", deltas);
        FLUSH_STATEMENTS.addAndGet(deltas.size());
        FLUSHES.add(new long[] {started, System.nanoTime()});
    }

    @FlushesCounter(value = HELD, awaitCluster = false)
    public void persistHeld(Map<Long, Long> deltas) throws SQLException {
        add("held", deltas);
    }

    /** Adds each key's delta to {@code column}, in one batch of updates. */
    private void add(String column, Map<Long, Long> deltas) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement update = connection.prepareStatement("update " + TABLE
                     + " set " + column + " = " + column + " + ? where id = ?")) {
            for (Map.Entry<Long, Long> delta : deltas.entrySet()) {
                update.setLong(1, delta.getValue());
                update.setLong(2, delta.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** The sums of the three columns: {counted, direct, held}. */
    public long[] totals() throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             java.sql.ResultSet row = statement.executeQuery("select coalesce(sum(counted), 0),"
                     + " coalesce(sum(direct), 0), coalesce(sum(held), 0) from " + TABLE)) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2), row.getLong(3)};
        }
    }
}
