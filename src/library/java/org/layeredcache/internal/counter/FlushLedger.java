package org.layeredcache.internal.counter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of each {@link CounterEntry} is persisted, in a table of the database the flush methods write to
 * ({@value #TABLE}: entry id, persisted total, when it was written), written inside the flush's transaction. This
 * is what makes a flush exactly-once: a flush writes the new totals with a compare-and-set on the totals it
 * assumed (or an insert, which the primary key lets only one flush make), so of two flushes that assumed the same
 * totals, one commits and the other fails and rolls back with the method's writes.
 * Stateless; thread-safe.
 */
final class FlushLedger {

    static final String TABLE = "layered_cache_counter_ledger";
    private static final int IN_LIST = 500;

    /** A flush that found totals another flush had changed: it must roll back. */
    static final class ConcurrentFlush extends RuntimeException {
        ConcurrentFlush(String message) {
            super(message);
        }
    }

    /** Creates the table unless it exists (portable SQL: H2 and PostgreSQL). */
    void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists " + TABLE + " (entry_id varchar(100) primary key,"
                    + " persisted bigint not null, written_at bigint not null)");
        }
    }

    /** The persisted totals of those of {@code ids} the ledger has. */
    Map<String, Long> persisted(Connection connection, Collection<String> ids) throws SQLException {
        Map<String, Long> found = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
            String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement select = connection.prepareStatement("select entry_id, persisted from " + TABLE
                    + " where entry_id in (" + marks + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    select.setString(i + 1, part.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
        }
        return found;
    }

    /**
     * Records new persisted totals: {@code updates} id to {old, new} for entries the ledger has, {@code inserts}
     * id to new for those it has not.
     *
     * @throws ConcurrentFlush if another flush changed or inserted one of them since they were read
     */
    void record(Connection connection, Map<String, long[]> updates, Map<String, Long> inserts, long now)
            throws SQLException {
        if (!updates.isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement("update " + TABLE
                    + " set persisted = ?, written_at = ? where entry_id = ? and persisted = ?")) {
                List<String> order = new ArrayList<>();
                for (Map.Entry<String, long[]> change : updates.entrySet()) {
                    update.setLong(1, change.getValue()[1]);
                    update.setLong(2, now);
                    update.setString(3, change.getKey());
                    update.setLong(4, change.getValue()[0]);
                    update.addBatch();
                    order.add(change.getKey());
                }
                int[] counts = update.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        throw new ConcurrentFlush("the ledger does not hold what the flush assumed of entry "
                                + order.get(i) + " (another flush persisted it meanwhile, or the cluster's figure"
                                + " was older)");
                    }
                }
            }
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement("insert into " + TABLE
                    + " (entry_id, persisted, written_at) values (?, ?, ?)")) {
                for (Map.Entry<String, Long> added : inserts.entrySet()) {
                    insert.setString(1, added.getKey());
                    insert.setLong(2, added.getValue());
                    insert.setLong(3, now);
                    insert.addBatch();
                }
                try {
                    insert.executeBatch();
                } catch (SQLException e) {
                    if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {   // integrity: a duplicate key
                        ConcurrentFlush inserted = new ConcurrentFlush("another flush recorded one of entries "
                                + inserts.keySet() + " first");
                        inserted.initCause(e);
                        throw inserted;
                    }
                    throw e;
                }
            }
        }
    }

    /** The ids of rows not written since {@code before}. */
    List<String> writtenBefore(Connection connection, long before) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("select entry_id from " + TABLE
                + " where written_at < ?")) {
            select.setLong(1, before);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    /** Deletes the rows of {@code ids} not written since {@code before}. */
    void delete(Connection connection, List<String> ids, long before) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from " + TABLE
                + " where entry_id = ? and written_at < ?")) {
            for (String id : ids) {
                delete.setString(1, id);
                delete.setLong(2, before);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }
}
