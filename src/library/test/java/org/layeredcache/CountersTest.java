package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.layeredcache.testing.Nodes.bean;

/**
 * Counters ({@link Counters}): additions made on three nodes at once reach the cluster, are persisted by flushes
 * that run meanwhile, and none is lost or persisted twice; a failing flush keeps them; misuse is named. Into a real
 * PostgreSQL schema. No JTA here, so this covers the counting, not the atomicity of a flush with its ledger (the
 * three-node test on Payara does).
 */
class CountersTest {

    static final PostgresSchema SCHEMA;
    static final PGSimpleDataSource DATABASE = new PGSimpleDataSource();

    static {
        try {
            SCHEMA = PostgresSchema.create("counters_test");
            SCHEMA.execute("create table views (id bigint primary key, n bigint not null)");
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
        DATABASE.setUrl(SCHEMA.url());
        DATABASE.setUser("postgres");
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(3, Views.class, Database.class);

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

    /** The application's side of counter "views": persists sums per id, reads one id's persisted count. */
    @ApplicationScoped
    public static class Views {
        static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
        static final AtomicLong FLUSH_CALLS = new AtomicLong();

        @FlushesCounter("views")
        public void persist(Map<Long, Long> deltas) throws SQLException {
            FLUSH_CALLS.incrementAndGet();
            if (FAILURES_LEFT.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new IllegalStateException("the database is down (a test's failure)");
            }
            assertThat(deltas).doesNotContainValue(0L);
            try (Connection connection = DATABASE.getConnection();
                 PreparedStatement upsert = connection.prepareStatement("insert into views (id, n) values (?, ?)"
                         + " on conflict (id) do update set n = views.n + excluded.n")) {
                for (Map.Entry<Long, Long> delta : deltas.entrySet()) {
                    upsert.setLong(1, delta.getKey());
                    upsert.setLong(2, delta.getValue());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }

        /** Runs once, right after the next read of the database: a flush that commits in the middle of a read. */
        static final java.util.concurrent.atomic.AtomicReference<Runnable> AFTER_NEXT_READ =
                new java.util.concurrent.atomic.AtomicReference<>();

        @ReadsCounter("views")
        public long persisted(long id) throws SQLException {
            long persisted = CountersTest.persisted(id);
            Runnable after = AFTER_NEXT_READ.getAndSet(null);
            if (after != null) {
                after.run();
            }
            return persisted;
        }
    }

    static long persisted(long id) throws SQLException {
        try (Connection connection = DATABASE.getConnection();
             PreparedStatement select = connection.prepareStatement("select n from views where id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    private static Counters counters(int node) {
        return bean(NODES.node(node), Counters.class);
    }

    private static ClusterCounters flusher(int node) {
        return bean(NODES.node(node), ClusterCounters.class);
    }

    @Test
    void additionsFromThreeNodesWhileFlushesRunArePersistedOnceEach() throws Exception {
        long base = org.layeredcache.testing.Ids.newId() * 10;
        int perThread = 150;
        ExecutorService callers = Executors.newFixedThreadPool(96);
        AtomicBoolean adding = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int node = 0; node < 3; node++) {
                Counters counters = counters(node);
                for (int thread = 0; thread < 32; thread++) {
                    done.add(callers.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            counters.add("views", base + i % 5, 1);
                        }
                        return null;
                    }));
                }
            }
            Future<Integer> flushing = Executors.newSingleThreadExecutor().submit(() -> {
                int flushes = 0;
                while (adding.get()) {
                    flusher(0).flushNow();
                    flushes++;
                }
                return flushes;
            });
            start.countDown();
            for (Future<?> caller : done) {
                caller.get(2, TimeUnit.MINUTES);
            }
            adding.set(false);
            assertThat(flushing.get(1, TimeUnit.MINUTES)).as("flushes while adding").isPositive();
        } finally {
            callers.shutdownNow();
        }
        long expected = 3L * 32 * perThread;
        long pendingBefore = 0;
        for (int key = 0; key < 5; key++) {
            pendingBefore += counters(1).pending("views", base + key);
        }
        long persistedBefore = 0;
        for (int key = 0; key < 5; key++) {
            persistedBefore += persisted(base + key);
        }
        assertThat(persistedBefore + pendingBefore).as("persisted + pending right after the last addition")
                .isEqualTo(expected);
        flusher(2).flushNow();
        flusher(2).flushNow();                       // the second removes the entries persisted in full
        long persistedAfter = 0;
        for (int key = 0; key < 5; key++) {
            assertThat(counters(0).pending("views", base + key)).isZero();
            persistedAfter += persisted(base + key);
            assertThat(counters(key % 3).read("views", base + key)).isEqualTo(expected / 5);
        }
        assertThat(persistedAfter).isEqualTo(expected);
        assertThat(counters(0).status("views").pendingKeys()).isZero();
    }

    @Test
    void readAnswersPersistedPlusPendingAndNothingChangesAfterAFlushOfNothing() throws Exception {
        long id = org.layeredcache.testing.Ids.newId() * 10;
        counters(0).add("views", id, 3);
        counters(1).add("views", id, 4);
        assertThat(counters(2).pending("views", id)).isEqualTo(7);
        assertThat(counters(2).read("views", id)).isEqualTo(7);
        flusher(1).flushNow();
        assertThat(persisted(id)).isEqualTo(7);
        assertThat(counters(2).pending("views", id)).isZero();
        counters(2).add("views", id, 5);
        assertThat(counters(0).read("views", id)).isEqualTo(12);
        flusher(0).flushNow();
        flusher(0).flushNow();
        assertThat(persisted(id)).isEqualTo(12);
    }

    @Test
    void aReadDuringWhichAFlushCommitsCountsEachAdditionOnce() throws Exception {
        long id = org.layeredcache.testing.Ids.newId() * 10;
        counters(0).add("views", id, 2);
        counters(1).add("views", id, 3);
        Views.AFTER_NEXT_READ.set(() -> flusher(1).flushNow());
        assertThat(counters(2).read("views", id)).as("read while a flush commits everything").isEqualTo(5);
        assertThat(Views.AFTER_NEXT_READ.get()).as("the flush ran during the read").isNull();
        assertThat(persisted(id)).isEqualTo(5);
        counters(2).add("views", id, 4);                         // this node's own entry, then a flush of it
        Views.AFTER_NEXT_READ.set(() -> flusher(0).flushNow());
        assertThat(counters(2).read("views", id)).isEqualTo(9);
        assertThat(counters(0).read("views", id)).isEqualTo(9);
    }

    @Test
    void aFlushThatFailsPersistsNothingAndTheNextOneEverything() throws Exception {
        long id = org.layeredcache.testing.Ids.newId() * 10;
        counters(0).add("views", id, 10);
        Views.FAILURES_LEFT.set(2);
        flusher(0).flushNow();
        flusher(0).flushNow();
        assertThat(Views.FAILURES_LEFT.get()).isZero();
        CounterStatus failed = counters(0).status("views");
        assertThat(failed.failedFlushes()).isGreaterThanOrEqualTo(2);
        assertThat(failed.lastError()).contains("the database is down");
        assertThat(persisted(id)).isZero();
        assertThat(counters(1).pending("views", id)).isEqualTo(10);
        flusher(0).flushNow();
        assertThat(persisted(id)).isEqualTo(10);
        assertThat(counters(0).status("views").lastError()).isNull();
    }

    @Test
    void misuseIsRefusedNamingTheCallCounterAndKey() {
        assertThat(catchThrowable(() -> counters(0).add("vews", 1L, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Counters.add(\"vews\", 1)").hasMessageContaining("[views]");
        assertThat(catchThrowable(() -> counters(0).add("views", "1", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the keys of counter 'views' are Long").hasMessageContaining("a String");
        assertThat(catchThrowable(() -> counters(0).add("views", null, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the key is null");
        assertThat(catchThrowable(() -> counters(0).add("views", 1L, -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes no negative additions").hasMessageContaining("negative = true");
        assertThat(catchThrowable(() -> counters(0).status("vews")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Counters.status(\"vews\")");
    }

    @Dependent
    public static class Misdeclared {
        @FlushesCounter("a")
        public void wrongParameter(List<Long> deltas) {
        }

        @FlushesCounter("b")
        public String returnsSomething(Map<java.util.UUID, Long> deltas) {
            return "";
        }

        @ReadsCounter("b")
        public long readWithoutItsFlush(long id) {
            return 0;
        }

        @ReadsCounter("c")
        public long readOfNoCounter(long id) {
            return 0;
        }

        @FlushesCounter("d")
        public void flush(Map<String, Long> deltas) {
        }

        @ReadsCounter("d")
        public String readOfAnotherKeyType(long id) {
            return "";
        }
    }

    @Test
    void misdeclaredCountersFailTheDeploymentInOneMessage() {
        Throwable failure = catchThrowable(() -> Containers.start(Misdeclared.class).close());
        String where = Misdeclared.class.getName() + "#";
        assertThat(failure).hasMessageContaining(where + "wrongParameter(List) @FlushesCounter(\"a\"): the method"
                        + " must take one parameter, a Map<K, Long>")
                .hasMessageContaining(where + "returnsSomething(Map) @FlushesCounter(\"b\"): the method returns"
                        + " String; it must return void")
                .hasMessageContaining(where + "readOfNoCounter(long) @ReadsCounter(\"c\"): no @FlushesCounter"
                        + " method declares counter 'c'")
                .hasMessageContaining(where + "readOfAnotherKeyType(long) @ReadsCounter(\"d\"): the method returns"
                        + " String; it must return long")
                .hasMessageContaining(where + "readOfAnotherKeyType(long) @ReadsCounter(\"d\"): its parameter is"
                        + " long, but the keys of counter 'd' are String");
    }
}
