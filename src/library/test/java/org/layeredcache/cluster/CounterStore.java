package org.layeredcache.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;
import org.layeredcache.Preloads;

import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheResult;

import java.util.concurrent.atomic.AtomicLong;

/** Reads through the caches and writes with after-commit invalidation, on a database all nodes share. */
@ApplicationScoped
public class CounterStore {

    @PersistenceContext
    EntityManager em;

    @Inject
    LoadGate gate;

    private final AtomicLong loads = new AtomicLong();

    public long loads() {
        return loads.get();
    }

    @CachedRead(cache = "counters", key = "counter-{id}")
    public long read(long id) {
        return load(id);
    }

    /** The same rows through a cache whose near layer keeps entries a few seconds (see ThreeNodes). */
    @CachedRead(cache = "counters-short", key = "counter-{id}")
    public long readShortLived(long id) {
        return load(id);
    }

    /** The same rows tagged with their counter: {@link #incrementTagged} names the tag, not the key. */
    @CachedRead(cache = "tagged-counters", key = "tagged-{id}", tags = "counter-{id}")
    public long readTagged(long id) {
        return load(id);
    }

    /** The same rows, entries that know the entity they were built from: a plain JPA change drops them. */
    @CachedRead(cache = "tracked-counters", key = "tracked-{id}", trackEntities = true)
    public long readTracked(long id) {
        return load(id);
    }

    /** A counter as a value of its own, for the cache that a start-up preload fills. */
    public record CounterView(long id, long version) implements java.io.Serializable {
    }

    @CachedRead(cache = "counter-views", key = "view-{id}")
    public CounterView view(long id) {
        return new CounterView(id, load(id));
    }

    /** Every counter, for the preload of "counter-views" (at start-up when configured so). */
    @Preloads(cache = "counter-views", key = "view-{id}")
    public java.util.List<CounterView> allViews() {
        return em.createQuery("select c from Counter c", Counter.class).getResultStream()
                .map(counter -> new CounterView(counter.getId(), counter.getVersion())).toList();
    }

    private long load(long id) {
        loads.incrementAndGet();
        Counter counter = em.find(Counter.class, id);
        long version = counter == null ? 0 : counter.getVersion();
        gate.passing(id);
        return version;
    }

    @Transactional
    @Invalidates(cache = "counters", key = "counter-{id}")
    @Invalidates(cache = "counters-short", key = "counter-{id}")
    public long increment(long id) {
        return incrementRow(id);
    }

    @Transactional
    @Invalidates(tags = "counter-{id}")
    public long incrementTagged(long id) {
        return incrementRow(id);
    }

    /** A write JPA does not see: native SQL, as a bulk update or another program would write. */
    @Transactional
    public long incrementInBulk(long id) {
        em.createNativeQuery("update counter set version = version + 1 where id = ?1").setParameter(1, id)
                .executeUpdate();
        return ((Number) em.createNativeQuery("select version from counter where id = ?1").setParameter(1, id)
                .getSingleResult()).longValue();
    }

    /** A native write (no entity change for JPA to report) with one key's invalidation: exactly one message. */
    @Transactional
    @Invalidates(cache = "counters", key = "counter-{id}")
    public long incrementNatively(long id) {
        return incrementInBulk(id);
    }

    /** The same row, cached with the JSR-107 annotations only. */
    @CacheResult(cacheName = "standard-counters")
    public long readStandard(@CacheKey long id) {
        return load(id);
    }

    @Transactional
    @CacheRemove(cacheName = "standard-counters")
    public long incrementStandard(@CacheKey long id) {
        return incrementRow(id);
    }

    /** A write whose invalidation reaches nobody: the caller then drops the cluster entry by hand. */
    @Transactional
    public long incrementWithoutInvalidation(long id) {
        return incrementRow(id);
    }

    /**
     * Creates the row if it is missing, then locks it. A lock on a row that does not exist locks nothing, so two
     * nodes could otherwise both insert it and one would fail with a duplicate key; {@code on conflict do nothing}
     * makes the insert safe to race, and the lock then serializes the increments.
     */
    private long incrementRow(long id) {
        em.createNativeQuery("insert into counter (id, version) values (?1, 0) on conflict do nothing")
                .setParameter(1, id)
                .executeUpdate();
        return em.find(Counter.class, id, LockModeType.PESSIMISTIC_WRITE).increment();
    }
}
