package org.layeredcache.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL schema of one test class in one run (127.0.0.1:5432, database {@code test}, user {@code postgres},
 * trust authentication): its name is unique, so two test classes, or two builds on one machine, never share
 * tables. {@link #close()} drops it; schemas that a killed build left behind are dropped by a later build once
 * they are a day old.
 */
public final class PostgresSchema implements AutoCloseable {

    public static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";
    private static final String PREFIX = "lc_";

    private final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    /**
     * Creates an empty schema for {@code purpose} (lower-case letters and underscores, such as
     * {@code "cluster_it"}).
     */
    public static PostgresSchema create(String purpose) throws SQLException {
        if (!purpose.matches("[a-z_]{1,30}")) {
            throw new IllegalArgumentException("purpose '" + purpose + "': use 1 to 30 lower-case letters or _");
        }
        long now = TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis());
        String name = PREFIX + purpose + "_" + now + "_" + ThreadLocalRandom.current().nextInt(1_000_000);
        dropLeftovers(now - TimeUnit.DAYS.toSeconds(1));
        PostgresSchema schema = new PostgresSchema(name);
        schema.execute("create schema " + name);
        return schema;
    }

    public String name() {
        return name;
    }

    /** A JDBC URL whose connections use this schema. */
    public String url() {
        return DATABASE + "?currentSchema=" + name;
    }

    /** Runs statements in this schema. */
    public void execute(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(), USER, "");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        execute("drop schema if exists " + name + " cascade");
    }

    private static void dropLeftovers(long createdBefore) throws SQLException {
        try (Connection connection = DriverManager.getConnection(DATABASE, USER, "");
             Statement statement = connection.createStatement()) {
            List<String> old = new ArrayList<>();
            try (ResultSet schemas = statement.executeQuery("select nspname from pg_namespace where nspname like '"
                    + PREFIX + "%'")) {
                while (schemas.next()) {
                    String found = schemas.getString(1);
                    String[] parts = found.split("_");
                    if (parts.length >= 3 && parts[parts.length - 2].matches("\\d+")
                            && Long.parseLong(parts[parts.length - 2]) < createdBefore) {
                        old.add(found);
                    }
                }
            }
            for (String schema : old) {
                statement.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }
}
