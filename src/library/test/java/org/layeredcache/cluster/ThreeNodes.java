package org.layeredcache.cluster;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.layeredcache.it.TestWars;
import org.layeredcache.testing.FreePorts;
import org.layeredcache.testing.PayaraMicroProcess;
import org.layeredcache.testing.PostgresSchema;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three Payara Micro nodes in one Hazelcast cluster on loopback (TCP/IP discovery on 127.0.0.1, a cluster name and
 * a first port of their own), sharing a new PostgreSQL schema, for one test class, as a JUnit extension. All three
 * are stopped by their PIDs after the class, also when a test fails; the schema is dropped, and the figures the
 * tests {@linkplain #report reported} go to {@code target/cluster-report-<class>.md}.
 */
final class ThreeNodes implements BeforeAllCallback, AfterAllCallback {

    /** The near layer's TTL of cache "counters-short", which shows what a lost message costs. */
    static final Duration SHORT_NEAR_TTL = Duration.ofSeconds(5);

    private final List<PayaraMicroProcess> nodes = new ArrayList<>();
    private final List<String> report = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong ids = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 40));
    private PostgresSchema schema;
    private final String configuration;
    private Path war;
    private String cluster;
    private int startPort;

    /** Three nodes with the fixture's configuration. */
    ThreeNodes() {
        this("");
    }

    /** Three nodes with the fixture's configuration and {@code configuration} (properties, one per line) added. */
    ThreeNodes(String configuration) {
        this.configuration = configuration;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        schema = PostgresSchema.create("cluster_it");
        schema.execute("create table counter (id bigint primary key, version bigint not null)",
                "create table tally (id bigint primary key, n bigint not null)",
                "create table basket (id bigint primary key, items text not null)");
        String name = context.getRequiredTestClass().getSimpleName();
        war = PayaraMicroProcess.buildDirectory().toPath().resolve(name + ".war");
        ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibrary(TestWars.library())
                .addAsLibraries(org.layeredcache.it.TestWars.libraryJars())
                .addAsLibrary(new File(PayaraMicroProcess.buildDirectory(), "war-libs/postgresql.jar"))
                .addClasses(Counter.class, CounterStore.class, LoadGate.class, ClusterResource.class,
                        ClusterResource.Rest.class, AdminUsers.class, Tally.class, TallyResource.class,
                        Basket.class, Basket.Items.class, BasketResource.class)
                .addAsResource("cluster/persistence.xml", "META-INF/persistence.xml")
                .addAsResource("it/orm.xml", "META-INF/orm.xml")
                .addAsResource(new StringAsset("""
                        cluster.datasource.url=%s
                        layered-cache.cache.counters.cluster.load-lease=3s
                        layered-cache.cache.counters-short.near.ttl=%ds
                        layered-cache.counters.datasource=java:app/jdbc/cluster
                        layered-cache.counters.flush-period=300ms
                        layered-cache.objects.store-period=300ms
                        """.formatted(schema.url(), SHORT_NEAR_TTL.toSeconds()) + configuration),
                        "META-INF/microprofile-config.properties")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml")
                .as(ZipExporter.class).exportTo(war.toFile(), true);

        cluster = System.getProperty("test.clusterName", "layered-cache-it") + "-" + name;
        startPort = FreePorts.next();
        List<String> root = List.of("--contextroot", "/");
        for (String node : List.of("node-a", "node-b", "node-c")) {
            nodes.add(PayaraMicroProcess.start(name + "-" + node, war, cluster, startPort, root));
        }
        for (PayaraMicroProcess node : nodes) {
            assertThat(node.awaitReady(Duration.ofMinutes(4))).as("%s started:%n%s", node.name(), node.output())
                    .isTrue();
        }
        for (PayaraMicroProcess node : nodes) {
            assertThat(node.awaitOutput(Pattern.compile("DG Size: 3"), Duration.ofMinutes(2)))
                    .as("%s sees a cluster of three", node.name()).isTrue();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            for (PayaraMicroProcess node : nodes) {
                node.close();
            }
        } finally {
            Path file = PayaraMicroProcess.buildDirectory().toPath()
                    .resolve("cluster-report-" + context.getRequiredTestClass().getSimpleName() + ".md");
            Files.write(file, report);
            if (schema != null) {
                schema.close();
            }
        }
    }

    PayaraMicroProcess a() {
        return nodes.get(0);
    }

    PayaraMicroProcess b() {
        return nodes.get(1);
    }

    PayaraMicroProcess c() {
        return nodes.get(2);
    }

    List<PayaraMicroProcess> all() {
        return List.copyOf(nodes);
    }

    /** The index of a node that does not hold the cluster's first port, through which the others find it. */
    int restartable() {
        for (int i = 0; i < nodes.size(); i++) {
            java.util.regex.Matcher own = Pattern.compile("This: true .*Address: /127\\.0\\.0\\.1:(\\d+)")
                    .matcher(nodes.get(i).output());
            if (own.find() && Integer.parseInt(own.group(1)) != startPort) {
                return i;
            }
        }
        throw new AssertionError("every node seems to hold port " + startPort);
    }

    /**
     * Kills node {@code index} at once (as a crash would; a {@link #restartable} one), then starts a new one in its
     * place in the same cluster, and waits until it answers and sees a cluster of three.
     */
    PayaraMicroProcess killAndRestart(int index, String name) throws Exception {
        nodes.get(index).kill();
        PayaraMicroProcess started = PayaraMicroProcess.start(name, war, cluster, startPort,
                List.of("--contextroot", "/"));
        nodes.set(index, started);
        // A node started while the others serve a saturating load (the soak's 32 clients on two cores) took more
        // than four minutes once, against about one alone: the deadline leaves room for that.
        assertThat(started.awaitReady(Duration.ofMinutes(10))).as("%s started:%n%s", name, started.output())
                .isTrue();
        assertThat(started.awaitOutput(Pattern.compile("DG Size: 3"), Duration.ofMinutes(2)))
                .as("%s sees a cluster of three", name).isTrue();
        return started;
    }

    /** What table {@code tally} holds for {@code id} (0 without a row), read from the database directly. */
    /** The items of basket {@code id} as the database holds them, joined by commas, or {@code null}. */
    String storedBasket(long id) throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(schema.url(), "postgres", "");
             java.sql.PreparedStatement select = connection.prepareStatement("select items from basket where id = ?")) {
            select.setLong(1, id);
            try (java.sql.ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    long persisted(long id) throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(schema.url(), "postgres", "");
             java.sql.PreparedStatement select = connection.prepareStatement("select n from tally where id = ?")) {
            select.setLong(1, id);
            try (java.sql.ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    /** What table {@code counter} holds as {@code id}'s version (0 without a row), read from the database directly. */
    long version(long id) throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(schema.url(), "postgres", "");
             java.sql.PreparedStatement select = connection.prepareStatement(
                     "select version from counter where id = ?")) {
            select.setLong(1, id);
            try (java.sql.ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    /** A counter id no test has used yet. */
    long newId() {
        return ids.incrementAndGet();
    }

    /** Adds a line to the report, and prints it. */
    void report(String line) {
        report.add(line);
        System.out.println(line);
    }
}
