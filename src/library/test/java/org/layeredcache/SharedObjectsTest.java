package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.internal.objects.ClusterObjects;
import org.layeredcache.testing.Containers;
import org.layeredcache.testing.Ids;
import org.layeredcache.testing.InProcessNodes;
import org.layeredcache.testing.PostgresSchema;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.layeredcache.testing.Nodes.bean;

/**
 * Shared objects ({@link SharedObjects}): changes of one object made at once on three nodes, inside requests and
 * outside them, are all in the cluster's value and, after the stores that run meanwhile, in the database; a
 * request's changes are written once, at its end, and seen by the request before; a failing store keeps the
 * objects marked; misuse is named. Into a real PostgreSQL schema, on embedded Hazelcast. No JTA here: the
 * in-container test covers transactions.
 */
class SharedObjectsTest {

    static final PostgresSchema SCHEMA;
    static final PGSimpleDataSource DATABASE = new PGSimpleDataSource();

    static {
        try {
            SCHEMA = PostgresSchema.create("objects_test");
            SCHEMA.execute("create table recent (id bigint primary key, items text not null)");
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
        DATABASE.setUrl(SCHEMA.url());
        DATABASE.setUser("postgres");
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(3, Recent.class, Requests.class);

    @AfterAll
    static void dropSchema() throws SQLException {
        SCHEMA.close();
    }

    /** A user's items, newest last; a change returns a new one. */
    public record Items(List<String> items) implements Serializable {

        static Items with(Items items, String item) {
            List<String> more = new ArrayList<>(items == null ? List.of() : items.items());
            more.add(item);
            return new Items(List.copyOf(more));
        }
    }

    /** The application's side of kind "recent": stores whole lists per id, loads one. */
    @ApplicationScoped
    public static class Recent {
        static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

        @StoresObjects("recent")
        public void store(Map<Long, Items> byId) throws SQLException {
            if (FAILURES_LEFT.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new IllegalStateException("the database is down (a test's failure)");
            }
            try (Connection connection = DATABASE.getConnection();
                 PreparedStatement upsert = connection.prepareStatement("insert into recent (id, items) values"
                         + " (?, ?) on conflict (id) do update set items = excluded.items")) {
                for (Map.Entry<Long, Items> object : byId.entrySet()) {
                    upsert.setLong(1, object.getKey());
                    upsert.setString(2, String.join(",", object.getValue().items()));
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }

        @LoadsObject("recent")
        public Items load(long id) throws SQLException {
            String stored = SharedObjectsTest.stored(id);
            return stored == null ? null : new Items(List.of(stored.split(",")));
        }
    }

    /** Changes made inside a request: written when it ends. */
    @ApplicationScoped
    public static class Requests {
        @Inject
        SharedObjects objects;

        @ActivateRequestContext
        public Items addInOneRequest(long id, String... items) {
            for (String item : items) {
                objects.change("recent", id, (Items current) -> Items.with(current, item));
            }
            return objects.get("recent", id);
        }
    }

    static String stored(long id) throws SQLException {
        try (Connection connection = DATABASE.getConnection();
             PreparedStatement select = connection.prepareStatement("select items from recent where id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static SharedObjects objects(int node) {
        return bean(NODES.node(node), SharedObjects.class);
    }

    private static ClusterObjects storer(int node) {
        return bean(NODES.node(node), ClusterObjects.class);
    }

    @Test
    void changesOfOneObjectOnThreeNodesAtOnceLoseNothingAndAreStored() throws Exception {
        long id = Ids.newId();
        int perThread = 20;
        ExecutorService callers = Executors.newFixedThreadPool(48);
        AtomicBoolean changing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        Set<String> expected = new HashSet<>();
        Future<Integer> storing;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int node = 0; node < 3; node++) {
                SharedObjects objects = objects(node);
                Requests requests = bean(NODES.node(node), Requests.class);
                for (int thread = 0; thread < 16; thread++) {
                    String prefix = node + "-" + thread + "-";
                    for (int i = 0; i < perThread; i++) {
                        expected.add(prefix + i);
                    }
                    boolean inRequests = thread % 2 == 0;
                    done.add(callers.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i += 2) {
                            if (inRequests) {                // two changes, written once at the request's end
                                requests.addInOneRequest(id, prefix + i, prefix + (i + 1));
                            } else {                         // outside a request: each written at once
                                int first = i;
                                objects.change("recent", id, (Items items) -> Items.with(items, prefix + first));
                                int next = i + 1;
                                objects.change("recent", id, (Items items) -> Items.with(items, prefix + next));
                            }
                        }
                        return null;
                    }));
                }
            }
            storing = Executors.newSingleThreadExecutor().submit(() -> {
                int stores = 0;
                while (changing.get()) {
                    storer(0).storeNow();
                    stores++;
                }
                return stores;
            });
            start.countDown();
            for (Future<?> caller : done) {
                caller.get(2, TimeUnit.MINUTES);
            }
        } finally {
            changing.set(false);
            callers.shutdownNow();
        }
        assertThat(storing.get(1, TimeUnit.MINUTES)).as("stores while changing").isPositive();
        Items inCluster = objects(1).get("recent", id);
        assertThat(inCluster.items()).as("every change, once").hasSize(expected.size())
                .containsExactlyInAnyOrderElementsOf(expected);
        storer(2).storeNow();
        assertThat(stored(id).split(",")).containsExactlyInAnyOrderElementsOf(expected);
        SharedObjectStatus status = objects(0).status("recent");
        assertThat(status.pending()).as("nothing left to store").isZero();
        long writes = 0;
        long retries = 0;
        for (int node = 0; node < 3; node++) {
            writes += objects(node).status("recent").writes();
            retries += objects(node).status("recent").retries();
        }
        System.out.println("Shared objects: " + expected.size() + " changes from 3 nodes x 16 threads in "
                + writes + " cluster writes (" + retries + " written again after another node's write)");
    }

    @Test
    void aRequestsChangesAreWrittenOnceWhenItEndsAndSeenByItBefore() throws Exception {
        long id = Ids.newId();
        long writesBefore = objects(0).status("recent").writes();
        storer(1).storeNow();                                // what other tests left marked
        Items seen = bean(NODES.node(0), Requests.class).addInOneRequest(id, "a", "b", "c");
        assertThat(seen.items()).as("the request sees its own changes").containsExactly("a", "b", "c");
        assertThat(objects(0).status("recent").writes() - writesBefore).as("cluster writes").isEqualTo(1);
        assertThat(objects(2).<Items>get("recent", id).items()).as("another node, after the request")
                .containsExactly("a", "b", "c");
        assertThat(objects(1).status("recent").pending()).isEqualTo(1);
        storer(1).storeNow();
        assertThat(stored(id)).isEqualTo("a,b,c");
        assertThat(objects(1).status("recent").pending()).isZero();
    }

    @Test
    void aFailingStoreKeepsTheObjectMarkedAndTheNextOneStoresIt() throws Exception {
        long id = Ids.newId();
        objects(0).change("recent", id, (Items items) -> Items.with(items, "x"));
        Recent.FAILURES_LEFT.set(2);
        storer(0).storeNow();
        storer(0).storeNow();
        assertThat(Recent.FAILURES_LEFT.get()).isZero();
        SharedObjectStatus failed = objects(0).status("recent");
        assertThat(failed.failedStores()).isGreaterThanOrEqualTo(2);
        assertThat(failed.lastError()).contains("the database is down");
        assertThat(stored(id)).isNull();
        assertThat(failed.pending()).isGreaterThanOrEqualTo(1);
        storer(0).storeNow();
        assertThat(stored(id)).isEqualTo("x");
        assertThat(objects(0).status("recent").lastError()).isNull();
    }

    @Test
    void anObjectTheClusterLacksIsLoadedFromTheDatabase() throws Exception {
        long id = Ids.newId();
        try (Connection connection = DATABASE.getConnection();
             PreparedStatement insert = connection.prepareStatement("insert into recent values (?, 'old')")) {
            insert.setLong(1, id);
            insert.executeUpdate();
        }
        assertThat(objects(1).<Items>get("recent", id).items()).containsExactly("old");
        objects(2).change("recent", id, (Items items) -> Items.with(items, "new"));
        assertThat(objects(0).<Items>get("recent", id).items()).containsExactly("old", "new");
    }

    @Test
    void misuseIsRefusedNamingTheCallKindAndKey() {
        assertThat(catchThrowable(() -> objects(0).get("recnt", 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SharedObjects.get(\"recnt\", 1)").hasMessageContaining("[recent]");
        assertThat(catchThrowable(() -> objects(0).change("recent", "1", items -> items)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the keys of shared objects 'recent' are Long").hasMessageContaining("a String");
        assertThat(catchThrowable(() -> objects(0).change("recent", 1L, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the change is null");
        assertThat(catchThrowable(() -> objects(0).status("recnt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SharedObjects.status(\"recnt\")");
    }

    @Dependent
    public static class Misdeclared {
        @StoresObjects("a")
        public void wrongParameter(List<Items> objects) {
        }

        @StoresObjects("b")
        public void notSerializable(Map<Long, Thread> objects) {
        }

        @LoadsObject("b")
        public Thread load(long id) {
            return null;
        }

        @StoresObjects("c")
        public void withoutLoad(Map<Long, Items> objects) {
        }

        @LoadsObject("d")
        public Items loadOfNoKind(long id) {
            return null;
        }

        @StoresObjects("e")
        public void store(Map<String, Items> objects) {
        }

        @LoadsObject("e")
        public String loadOfAnotherType(long id) {
            return "";
        }
    }

    @Test
    void misdeclaredObjectsFailTheDeploymentInOneMessage() {
        Throwable failure = catchThrowable(() -> Containers.start(Misdeclared.class).close());
        String where = Misdeclared.class.getName() + "#";
        assertThat(failure).hasMessageContaining(where + "wrongParameter(List) @StoresObjects(\"a\"): the method"
                        + " must take one parameter, a Map<K, V>")
                .hasMessageContaining(where + "notSerializable(Map) @StoresObjects(\"b\"): the objects' type"
                        + " java.lang.Thread is not Serializable")
                .hasMessageContaining(where + "withoutLoad(Map) @StoresObjects(\"c\"): no @LoadsObject(\"c\")")
                .hasMessageContaining(where + "loadOfNoKind(long) @LoadsObject(\"d\"): no @StoresObjects method"
                        + " declares objects 'd'")
                .hasMessageContaining(where + "loadOfAnotherType(long) @LoadsObject(\"e\"): its parameter is long,"
                        + " but the keys of objects 'e' are String")
                .hasMessageContaining(where + "loadOfAnotherType(long) @LoadsObject(\"e\"): it returns String, but"
                        + " objects 'e' are Items");
    }
}
