package org.layeredcache.jmh;

import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import org.layeredcache.CachedRead;
import org.layeredcache.Preloads;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The preload benchmark's source and caches: rows of 2 KB items in PostgreSQL (127.0.0.1:5432, database test),
 * read in keyset pages of 1000 rows, each page one autocommit query (no transaction held), and four caches of the
 * same entries that differ only in {@code preload.chunk-size} (1, 100, 500, 2000; see the configuration).
 */
@DataSourceDefinition(name = "java:app/jdbc/bench", className = "org.postgresql.ds.PGSimpleDataSource",
        serverName = "127.0.0.1", portNumber = 5432, databaseName = "test", user = "postgres", password = "")
@ApplicationScoped
public class PreloadBench {

    static final String TABLE = "layered_cache_bench_item";
    private static final int PAGE = 1000;

    @Resource(lookup = "java:app/jdbc/bench")
    DataSource database;

    /** Makes the table hold exactly {@code rows} items of 2 KB (ids 1..rows). */
    public void fill(int rows) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists " + TABLE + " (id bigint primary key, body text not null)");
            statement.execute("truncate " + TABLE);
            statement.execute("insert into " + TABLE + " select g, repeat('x', 2048) from generate_series(1, " + rows
                    + ") g");
        }
    }

    public void drop() throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists " + TABLE);
        }
    }

    /** Every row as an item, one page at a time. */
    public Stream<Items.Item> rows() {
        Iterator<Items.Item> pages = new Iterator<>() {
            private Iterator<Items.Item> page = List.<Items.Item>of().iterator();
            private long after;
            private boolean last;

            @Override
            public boolean hasNext() {
                if (!page.hasNext() && !last) {
                    List<Items.Item> next = page(after);
                    last = next.size() < PAGE;
                    after = next.isEmpty() ? after : next.get(next.size() - 1).id();
                    page = next.iterator();
                }
                return page.hasNext();
            }

            @Override
            public Items.Item next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false);
    }

    private List<Items.Item> page(long after) {
        try (Connection connection = database.getConnection();
             PreparedStatement query = connection.prepareStatement("select id, body from " + TABLE
                     + " where id > ? order by id limit " + PAGE)) {
            query.setLong(1, after);
            List<Items.Item> items = new ArrayList<>(PAGE);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    items.add(new Items.Item(rows.getLong(1), rows.getString(2)));
                }
            }
            return items;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the benchmark's rows failed", e);
        }
    }

    @CachedRead(cache = "bench-preload-1", key = "item-{id}")
    public Items.Item item1(long id) {
        return null;
    }

    @Preloads(cache = "bench-preload-1", key = "item-{id}")
    public Stream<Items.Item> all1() {
        return rows();
    }

    @CachedRead(cache = "bench-preload-100", key = "item-{id}")
    public Items.Item item100(long id) {
        return null;
    }

    @Preloads(cache = "bench-preload-100", key = "item-{id}")
    public Stream<Items.Item> all100() {
        return rows();
    }

    @CachedRead(cache = "bench-preload-500", key = "item-{id}")
    public Items.Item item500(long id) {
        return null;
    }

    @Preloads(cache = "bench-preload-500", key = "item-{id}")
    public Stream<Items.Item> all500() {
        return rows();
    }

    @CachedRead(cache = "bench-preload-2000", key = "item-{id}")
    public Items.Item item2000(long id) {
        return null;
    }

    @Preloads(cache = "bench-preload-2000", key = "item-{id}")
    public Stream<Items.Item> all2000() {
        return rows();
    }
}
