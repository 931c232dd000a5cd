package org.layeredcache.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.layeredcache.Counters;
import org.layeredcache.FlushesCounter;
import org.layeredcache.ReadsCounter;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counter "tally": additions through {@link Counters}, persisted into table {@code tally} with plain JPA (native
 * SQL) in the transaction the library's flush runs. A test can make the next flushes fail, or hold a flush in the
 * middle (after its writes, before its commit) to kill the node there. Counter "tally-held", which does not wait
 * for the cluster, is persisted into the same table (the tests give it ids of its own).
 */
@ApplicationScoped
public class Tally {

    static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    static volatile CountDownLatch holding;
    static volatile CountDownLatch held = new CountDownLatch(1);

    @PersistenceContext
    EntityManager em;

    @Inject
    Counters counters;

    @FlushesCounter("tally")
    public void persist(Map<Long, Long> deltas) throws InterruptedException {
        if (FAILURES_LEFT.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new IllegalStateException("the flush fails on purpose (test)");
        }
        for (Map.Entry<Long, Long> delta : deltas.entrySet()) {
            em.createNativeQuery("insert into tally (id, n) values (?1, ?2)"
                    + " on conflict (id) do update set n = tally.n + excluded.n")
                    .setParameter(1, delta.getKey()).setParameter(2, delta.getValue()).executeUpdate();
        }
        CountDownLatch hold = holding;
        if (hold != null) {
            held.countDown();
            hold.await(5, TimeUnit.MINUTES);
        }
    }

    @FlushesCounter(value = "tally-held", awaitCluster = false)
    public void persistHeld(Map<Long, Long> deltas) {
        for (Map.Entry<Long, Long> delta : deltas.entrySet()) {
            em.createNativeQuery("insert into tally (id, n) values (?1, ?2)"
                    + " on conflict (id) do update set n = tally.n + excluded.n")
                    .setParameter(1, delta.getKey()).setParameter(2, delta.getValue()).executeUpdate();
        }
    }

    @ReadsCounter("tally-held")
    public long persistedHeld(long id) {
        return persisted(id);
    }

    @ReadsCounter("tally")
    public long persisted(long id) {
        return ((Number) em.createNativeQuery("select coalesce(sum(n), 0) from tally where id = ?1")
                .setParameter(1, id).getSingleResult()).longValue();
    }

    /**
     * Adds 1 to {@code id} of counter "tally" (or "tally-held") {@code times} times in one transaction, which rolls
     * back when asked to.
     */
    @Transactional
    public void add(long id, int times, boolean rollBack, boolean held) {
        for (int i = 0; i < times; i++) {
            counters.add(held ? "tally-held" : "tally", id, 1);
        }
        if (rollBack) {
            throw new IllegalStateException("rolled back on purpose (test)");
        }
    }
}
