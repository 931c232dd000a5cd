package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.internal.counter.ClusterCounters;
import org.layeredcache.testing.Containers;
import org.layeredcache.testing.InProcessNodes;
import org.layeredcache.testing.PostgresSchema;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Nodes.bean;

/**
 * A counter that does not wait for the cluster ({@code @FlushesCounter(awaitCluster = false)}): an addition returns
 * while only its node holds it; started nodes send what they hold every send period, a node that stops sends it
 * first, and flushes persist each addition once. Into a real PostgreSQL schema, on in-process nodes.
 */
class HeldCountersTest {

    static final PostgresSchema SCHEMA;
    static final PGSimpleDataSource DATABASE = new PGSimpleDataSource();

    static {
        try {
            SCHEMA = PostgresSchema.create("held_counters_test");
            SCHEMA.execute("create table likes (id bigint primary key, n bigint not null)");
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
        DATABASE.setUrl(SCHEMA.url());
        DATABASE.setUser("postgres");
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Likes.class, Database.class);

    @AfterAll
    static void dropSchema() throws SQLException {
        SCHEMA.close();
    }

    @ApplicationScoped
    public static class Database {
        @Produces
        DataSource dataSource() {
            return DATABASE;
        }
    }

    /** The application's side of counter "likes", which does not wait for the cluster. */
    @ApplicationScoped
    public static class Likes {
        @FlushesCounter(value = "likes", awaitCluster = false)
        public void persist(Map<Long, Long> deltas) throws SQLException {
            try (Connection connection = DATABASE.getConnection();
                 PreparedStatement upsert = connection.prepareStatement("insert into likes (id, n) values (?, ?)"
                         + " on conflict (id) do update set n = likes.n + excluded.n")) {
                for (Map.Entry<Long, Long> delta : deltas.entrySet()) {
                    upsert.setLong(1, delta.getKey());
                    upsert.setLong(2, delta.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }

        @ReadsCounter("likes")
        public long persisted(long id) throws SQLException {
            return HeldCountersTest.persisted(id);
        }
    }

    static long persisted(long id) throws SQLException {
        try (Connection connection = DATABASE.getConnection();
             PreparedStatement select = connection.prepareStatement("select n from likes where id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    @Test
    void startedNodesSendWhatTheyHoldWithinASendPeriodAndFlushesPersistItOnce() throws Exception {
        long base = org.layeredcache.testing.Ids.newId() * 10;
        int perThread = 500;
        bean(NODES.a(), ClusterCounters.class).start();
        bean(NODES.b(), ClusterCounters.class).start();
        ExecutorService callers = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (WeldContainer node : List.of(NODES.a(), NODES.b())) {
                Counters counters = bean(node, Counters.class);
                for (int thread = 0; thread < 16; thread++) {
                    done.add(callers.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            counters.add("likes", base + i % 5, 1);
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> caller : done) {
                caller.get(2, TimeUnit.MINUTES);
            }
        } finally {
            callers.shutdownNow();
        }
        long expected = 2L * 16 * perThread;
        // Each node counts what it holds itself: the other node's part reaches it only through the cluster (and
        // the database, should a periodic flush persist it meanwhile).
        for (WeldContainer node : List.of(NODES.a(), NODES.b())) {
            Counters counters = bean(node, Counters.class);
            awaitEqual(expected, () -> {
                long total = 0;
                for (int key = 0; key < 5; key++) {
                    total += counters.read("likes", base + key);
                }
                return total;
            });
        }
        bean(NODES.b(), ClusterCounters.class).flushNow();
        long persisted = 0;
        for (int key = 0; key < 5; key++) {
            persisted += persisted(base + key);
            assertThat(bean(NODES.a(), Counters.class).read("likes", base + key)).isEqualTo(expected / 5);
        }
        assertThat(persisted).isEqualTo(expected);
    }

    @Test
    void anAdditionReturnsWhileOnlyItsNodeHoldsItAndANodeThatStopsSendsIt() throws Exception {
        long id = org.layeredcache.testing.Ids.newId() * 10;
        WeldContainer leaving = Containers.start(Likes.class, Database.class);   // not started: it never sends
        try {
            Counters counters = bean(leaving, Counters.class);
            counters.add("likes", id, 7);
            assertThat(counters.pending("likes", id)).as("on the node that holds it").isEqualTo(7);
            assertThat(bean(NODES.a(), Counters.class).pending("likes", id)).as("elsewhere").isZero();
        } finally {
            leaving.close();
        }
        assertThat(bean(NODES.a(), Counters.class).pending("likes", id)).as("after its node stopped").isEqualTo(7);
        bean(NODES.a(), ClusterCounters.class).flushNow();
        assertThat(persisted(id)).isEqualTo(7);
    }

    private static void awaitEqual(long expected, LongSupplier actual) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long seen = actual.getAsLong();
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = actual.getAsLong();
        }
        assertThat(seen).as("persisted + pending, within 10 s").isEqualTo(expected);
    }
}
