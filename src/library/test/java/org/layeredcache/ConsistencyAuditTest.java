package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.InProcessNodes;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * The consistency auditor (caches {@code audited} and {@code audited-dropping}, checked every 50 ms and re-checked
 * after 300 ms, see the test configuration): a value changed behind the cache's back is reported as a
 * disagreement naming its key; a write committed during a check is not; the check runs on a thread of its own and
 * publishes nothing; an entry found diverging is dropped where configured.
 */
class ConsistencyAuditTest {

    /** The rows the methods read: the test's source of truth, changed with or without an invalidation. */
    static final Map<Long, String> ROWS = new ConcurrentHashMap<>();
    /** The threads the methods ran on. */
    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();
    /** While set, the next call of {@code Rows.row} for this id waits for the test (an audit check's call). */
    static volatile Pause pause;

    record Pause(long id, CountDownLatch entered, CountDownLatch release) {
    }

    @ApplicationScoped
    public static class Rows {
        @CachedRead(cache = "audited", key = "row-{id}")
        public String row(long id) throws InterruptedException {
            THREADS.add(Thread.currentThread().getName());
            Pause waiting = pause;
            if (waiting != null && waiting.id() == id) {
                pause = null;
                waiting.entered().countDown();
                waiting.release().await(10, TimeUnit.SECONDS);
            }
            return ROWS.get(id);
        }

        @Invalidates(cache = "audited", key = "row-{id}")
        public void write(long id, String value) {
            ROWS.put(id, value);
        }

        @CachedRead(cache = "audited-dropping", key = "row-{id}")
        public String dropping(long id) {
            return ROWS.get(id);
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(1, Rows.class);

    @Test
    void aValueChangedBehindTheCacheIsADisagreementNamingItsKeyAndTheCheckPublishesNothing() throws Exception {
        long id = newId();
        Rows rows = bean(NODES.a(), Rows.class);
        CacheAdmin admin = bean(NODES.a(), CacheAdmin.class);
        ROWS.put(id, "before " + id);
        assertThat(rows.row(id)).isEqualTo("before " + id);
        long loads = statistics(NODES.a(), "audited").loads();
        ConsistencyAudit start = admin.audit("audited");

        ROWS.put(id, "after " + id);                          // no invalidation: the cache cannot know
        ConsistencyAudit found = readUntil(() -> rows.row(id), "audited",
                audit -> audit.disagreements() > start.disagreements());

        ConsistencyAudit.Divergence divergence = found.divergences().get(0);
        assertThat(divergence.key()).isEqualTo("row-" + id);
        assertThat(divergence.cached()).isEqualTo("before " + id);
        assertThat(divergence.current()).isEqualTo("after " + id);
        assertThat(divergence.dropped()).isFalse();
        assertThat(divergence.cachedAt()).isBefore(divergence.checkedAt());
        assertThat(found.divergences()).extracting(ConsistencyAudit.Divergence::layer)
                .as("both layers hold the old value").contains("near", "cluster");
        assertThat(found.layers().get("near").disagreements()).isPositive();
        assertThat(found.layers().get("cluster").disagreements()).isPositive();
        assertThat(found.lastHourDisagreements()).isPositive();
        assertThat(found.nines()).isLessThan(Math.log10(found.lastHourChecks()) + 1e-9);

        assertThat(rows.row(id)).as("the check published nothing and dropped nothing").isEqualTo("before " + id);
        assertThat(statistics(NODES.a(), "audited").loads()).as("the check's calls are no loads").isEqualTo(loads);
        assertThat(THREADS).as("the checks ran on a thread of their own").anyMatch(name -> !name.equals(
                Thread.currentThread().getName()));
    }

    @Test
    void entriesThatHoldWhatTheMethodAnswersAgree() throws Exception {
        long id = newId();
        Rows rows = bean(NODES.a(), Rows.class);
        ROWS.put(id, "same " + id);
        rows.row(id);
        ConsistencyAudit start = bean(NODES.a(), CacheAdmin.class).audit("audited");

        ConsistencyAudit after = readUntil(() -> rows.row(id), "audited",
                audit -> audit.agreements() >= start.agreements() + 3);

        assertThat(after.enabled()).isTrue();
        assertThat(after.layers().get("near").compared()).isGreaterThan(start.layers().get("near").compared());
        assertThat(after.lastHourChecks()).isGreaterThanOrEqualTo(3);
        assertThat(bean(NODES.a(), CacheAdmin.class).audit("audited-dropping").checks())
                .as("another cache's figures are its own").isLessThanOrEqualTo(after.checks());
    }

    @Test
    void aWriteCommittedDuringACheckIsNoDisagreement() throws Exception {
        long id = newId();
        Rows rows = bean(NODES.a(), Rows.class);
        CacheAdmin admin = bean(NODES.a(), CacheAdmin.class);
        ROWS.put(id, "first " + id);
        rows.row(id);
        ConsistencyAudit start = admin.audit("audited");
        Pause checkCall = new Pause(id, new CountDownLatch(1), new CountDownLatch(1));
        pause = checkCall;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (checkCall.entered().getCount() > 0 && System.nanoTime() < deadline) {
                rows.row(id);                                   // hits, until the auditor samples one and calls
                checkCall.entered().await(20, TimeUnit.MILLISECONDS);
            }
            assertThat(checkCall.entered().getCount()).as("an audit check called the method").isZero();
            rows.write(id, "second " + id);                    // commits while the check's call is on
        } finally {
            checkCall.release().countDown();
        }
        ConsistencyAudit after = waitFor("audited", audit -> audit.superseded() > start.superseded());

        assertThat(after.disagreements()).isEqualTo(start.disagreements());
        assertThat(rows.row(id)).isEqualTo("second " + id);
    }

    @Test
    void aDivergingEntryIsDroppedWhereConfigured() throws Exception {
        long id = newId();
        Rows rows = bean(NODES.a(), Rows.class);
        ROWS.put(id, "old " + id);
        rows.dropping(id);
        ConsistencyAudit start = bean(NODES.a(), CacheAdmin.class).audit("audited-dropping");
        ROWS.put(id, "new " + id);

        ConsistencyAudit found = readUntil(() -> rows.dropping(id), "audited-dropping",
                audit -> audit.disagreements() > start.disagreements());

        assertThat(found.divergences().get(0).dropped()).isTrue();
        assertThat(rows.dropping(id)).as("dropped everywhere: loaded again").isEqualTo("new " + id);
    }

    @FunctionalInterface
    interface Read {
        Object run() throws Exception;
    }

    /** Reads (hits, which the auditor samples) until the cache's audit satisfies {@code done}; at most 10 s. */
    private static ConsistencyAudit readUntil(Read read, String cache, Predicate<ConsistencyAudit> done)
            throws Exception {
        CacheAdmin admin = bean(NODES.a(), CacheAdmin.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            ConsistencyAudit audit = admin.audit(cache);
            if (done.test(audit)) {
                return audit;
            }
            read.run();
            Thread.sleep(20);
        }
        ConsistencyAudit last = admin.audit(cache);
        assertThat(done.test(last)).as("the audit of '" + cache + "' within 10 s: " + last).isTrue();
        return last;
    }

    /** Waits, reading nothing, until the cache's audit satisfies {@code done}; at most 10 s. */
    private static ConsistencyAudit waitFor(String cache, Predicate<ConsistencyAudit> done) throws Exception {
        return readUntil(() -> null, cache, done);
    }
}
