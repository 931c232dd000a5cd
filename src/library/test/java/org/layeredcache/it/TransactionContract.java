package org.layeredcache.it;

import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * How the layers meet JTA and JPA, checked against a real database inside Payara Micro. Each database gets a
 * subclass with its own deployment. Every read that must count as another request goes through
 * {@link Requests#run}; the method bodies count their runs, so hits and misses are proven.
 */
abstract class TransactionContract {

    @Inject
    ServiceRepository repository;

    @Inject
    UserTransaction transaction;

    @Inject
    Requests requests;

    @Inject
    LoadCounter loads;

    static long newId() {
        return ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
    }

    String nameInAnotherRequest(long id) throws Exception {
        return requests.run(() -> repository.find(id).name());
    }

    @Test
    void anInvalidationWaitsForTheCommit() throws Exception {
        long id = newId();
        repository.create(id, "A");
        assertEquals("A", nameInAnotherRequest(id));
        int loaded = loads.runs("find");

        transaction.begin();
        try {
            repository.rename(id, "B");
            assertEquals("A", nameInAnotherRequest(id), "before the commit, others still read the cached row");
            assertEquals(loaded, loads.runs("find"), "...from the cache: nothing was invalidated yet");
        } finally {
            transaction.commit();
        }

        assertEquals("B", nameInAnotherRequest(id));
        assertEquals(loaded + 1, loads.runs("find"));
    }

    /**
     * The reason to wait for the commit: a reader that loads the old row while the write is in flight would
     * otherwise cache it after an early invalidation, and keep it after the commit.
     */
    @Test
    void aReaderDuringTheWriteCannotLeaveTheOldRowCached() throws Exception {
        long id = newId();
        repository.create(id, "A");

        transaction.begin();
        try {
            repository.rename(id, "B");
            assertEquals("A", nameInAnotherRequest(id), "the reader sees the committed row and caches it");
        } finally {
            transaction.commit();
        }

        assertEquals("B", nameInAnotherRequest(id));
    }

    /** A tag is invalidated as a key is: after the commit, and not at all after a rollback. */
    @Test
    void aTagInvalidationWaitsForTheCommitAndARollbackInvalidatesNothing() throws Exception {
        long id = newId();
        repository.create(id, "A");
        assertEquals("A", taggedNameInAnotherRequest(id));
        int loaded = loads.runs("findTagged");

        transaction.begin();
        try {
            repository.renameTagged(id, "B");
            assertEquals("A", taggedNameInAnotherRequest(id), "before the commit, others still read the cached row");
            assertEquals(loaded, loads.runs("findTagged"), "...from the cache: the tag was not invalidated yet");
        } finally {
            transaction.commit();
        }
        assertEquals("B", taggedNameInAnotherRequest(id));
        assertEquals(loaded + 1, loads.runs("findTagged"));

        transaction.begin();
        repository.renameTagged(id, "X");
        transaction.rollback();
        assertEquals("B", taggedNameInAnotherRequest(id));
        assertEquals(loaded + 1, loads.runs("findTagged"), "after the rollback, still served from the cache");
    }

    /** As for keys: a reader that loads the old row while the write is in flight cannot leave it cached. */
    @Test
    void aReaderDuringATaggedWriteCannotLeaveTheOldRowCached() throws Exception {
        long id = newId();
        repository.create(id, "A");

        transaction.begin();
        try {
            repository.renameTagged(id, "B");
            assertEquals("A", taggedNameInAnotherRequest(id), "the reader sees the committed row and caches it");
        } finally {
            transaction.commit();
        }

        assertEquals("B", taggedNameInAnotherRequest(id));
    }

    /**
     * An entry built from 50 entities: a change to any one of them through plain JPA, no annotation, drops it
     * after the commit; a change to another entity, or a rolled-back one, does not; a removal does.
     */
    @Test
    void anEntryBuiltFromEntitiesIsDroppedByAChangeToAnyOfThemAndByNothingElse() throws Exception {
        long from = newId() * 64;
        long to = from + 49;
        for (long id = from; id <= to; id++) {
            repository.create(id, "n" + (id - from));
        }
        long unrelated = to + 1;
        repository.create(unrelated, "other");
        assertEquals(50, requests.run(() -> repository.namesBetween(from, to)).size());
        int loaded = loads.runs("namesBetween");

        repository.renamePlainly(unrelated, "other, renamed");
        assertEquals("n0", requests.run(() -> repository.namesBetween(from, to)).get(0));
        assertEquals(loaded, loads.runs("namesBetween"), "an unrelated entity's change drops nothing");

        transaction.begin();
        repository.renamePlainlyAndFlush(from + 7, "rolled back");
        transaction.rollback();
        assertEquals("n7", requests.run(() -> repository.namesBetween(from, to)).get(7));
        assertEquals(loaded, loads.runs("namesBetween"), "a rolled-back change drops nothing");

        repository.renamePlainly(from + 31, "renamed");
        assertEquals("renamed", requests.run(() -> repository.namesBetween(from, to)).get(31));
        assertEquals(loaded + 1, loads.runs("namesBetween"), "one of the 50 entities changed: loaded again");

        repository.removePlainly(from + 49);
        assertEquals(49, requests.run(() -> repository.namesBetween(from, to)).size());
        assertEquals(loaded + 2, loads.runs("namesBetween"), "one of the entities removed: loaded again");
    }

    /**
     * With {@code EntityQueryTracking} registered, an entry built from a query depends on the rows its type may
     * gain: a new row drops it, even when the query returned none, once the transaction commits; a rollback drops
     * nothing, and neither does a change of a row the query did not return.
     */
    @Test
    void aNewRowDropsTheEntriesBuiltFromAQueryOfItsTypeEvenAnEmptyOne() throws Exception {
        String prefix = "q" + newId() + "-";
        assertEquals(List.of(), requests.run(() -> repository.namesStartingWith(prefix)));
        int loaded = loads.runs("namesStartingWith");
        assertEquals(List.of(), requests.run(() -> repository.namesStartingWith(prefix)), "cached, empty");

        transaction.begin();
        repository.create(newId(), prefix + "rolled back");
        transaction.rollback();
        assertEquals(List.of(), requests.run(() -> repository.namesStartingWith(prefix)));
        assertEquals(loaded, loads.runs("namesStartingWith"), "a rolled-back new row drops nothing");

        transaction.begin();
        try {
            repository.create(newId(), prefix + "a");
            assertEquals(List.of(), requests.run(() -> repository.namesStartingWith(prefix)), "before the commit");
        } finally {
            transaction.commit();
        }
        assertEquals(List.of(prefix + "a"), requests.run(() -> repository.namesStartingWith(prefix)));
        assertEquals(loaded + 1, loads.runs("namesStartingWith"), "the new row dropped the empty list");
    }

    /**
     * A read of many keys that tracks entities: a change through plain JPA to any entity its one call read drops
     * the entries that call loaded, after the commit; a rollback or an unrelated row drops nothing.
     */
    @Test
    void aReadOfManyKeysTrackingEntitiesIsDroppedByAChangeToAnEntityItRead() throws Exception {
        long a = newId();
        long b = newId();
        long unrelated = newId();
        repository.create(a, "A");
        repository.create(b, "B");
        repository.create(unrelated, "other");
        List<Long> ids = List.of(a, b);
        assertEquals(List.of("A", "B"), names(requests.run(() -> repository.findAllTracked(ids))));
        assertEquals(List.of("A", "B"), names(requests.run(() -> repository.findAllTracked(ids))));
        int loaded = loads.runs("findAllTracked");

        repository.renamePlainly(unrelated, "other, renamed");
        transaction.begin();
        repository.renamePlainlyAndFlush(b, "rolled back");
        transaction.rollback();
        assertEquals(List.of("A", "B"), names(requests.run(() -> repository.findAllTracked(ids))));
        assertEquals(loaded, loads.runs("findAllTracked"), "an unrelated change and a rollback drop nothing");

        repository.renamePlainly(b, "B2");
        assertEquals(List.of("A", "B2"), names(requests.run(() -> repository.findAllTracked(ids))));
        assertEquals(loaded + 1, loads.runs("findAllTracked"), "one call loaded both again");
    }

    private static List<String> names(List<ServiceView> views) {
        return views.stream().map(ServiceView::name).toList();
    }

    /** A change through plain JPA is seen by the next read of an entry built from that entity, after the commit. */
    @Test
    void aPlainJpaChangeIsSeenAfterItsCommitWithoutAnyInvalidation() throws Exception {
        long id = newId();
        repository.create(id, "A");
        assertEquals("A", requests.run(() -> repository.findTracked(id).name()));
        int loaded = loads.runs("findTracked");

        transaction.begin();
        try {
            repository.renamePlainly(id, "B");
            assertEquals("A", requests.run(() -> repository.findTracked(id).name()), "before the commit");
            assertEquals(loaded, loads.runs("findTracked"), "...from the cache");
        } finally {
            transaction.commit();
        }
        assertEquals("B", requests.run(() -> repository.findTracked(id).name()));
        assertEquals(loaded + 1, loads.runs("findTracked"));
    }

    /** The entity changes of one transaction are told to the other nodes once, in one message, after the commit. */
    @Test
    void oneTransactionsEntityChangesCostOneMessage() throws Exception {
        long from = newId() * 64;
        for (long id = from; id < from + 5; id++) {
            repository.create(id, "n");
        }
        com.hazelcast.topic.ITopic<Object> topic = ((com.hazelcast.core.HazelcastInstance)
                new javax.naming.InitialContext().lookup("payara/Hazelcast")).getTopic("layered-cache-invalidations");
        long published = topic.getLocalTopicStats().getPublishOperationCount();
        List<String> recorded;
        try (org.layeredcache.CacheRecording recording = cacheAdmin.startRecording()) {
            transaction.begin();
            try {
                for (long id = from; id < from + 5; id++) {
                    repository.renamePlainlyAndFlush(id, "renamed");
                }
            } finally {
                transaction.commit();
            }
            recorded = recording.tagInvalidations();
        }
        assertEquals(5, recorded.size(), "five entities' tags: " + recorded);
        assertEquals(published + 1, topic.getLocalTopicStats().getPublishOperationCount(), "one message");
    }

    /** A bulk JPQL update is not seen by entity tracking; dropping the entity type is the documented remedy. */
    @Test
    void aBulkUpdateIsSeenOnceItsEntityTypeIsDropped() throws Exception {
        long id = newId();
        repository.create(id, "A");
        assertEquals("A", requests.run(() -> repository.findTracked(id).name()));

        repository.renameInBulk(id, "B");
        assertEquals("A", requests.run(() -> repository.findTracked(id).name()), "JPA did not see the bulk update");

        cacheAdmin.invalidateEntityType(ServiceRow.class);
        assertEquals("B", requests.run(() -> repository.findTracked(id).name()));
    }

    @Inject
    org.layeredcache.CacheAdmin cacheAdmin;

    /**
     * The consistency auditor on a real database (cache {@code it-audited}, checked every 200 ms): a row changed by
     * a bulk JPQL update, which no cache hears of, is reported as a disagreement naming its key, with both values;
     * the checks publish nothing and count as no loads.
     */
    @Test
    void theAuditorReportsARowChangedBehindTheCacheNamingItsKey() throws Exception {
        long id = newId();
        repository.create(id, "A");
        assertEquals("A", requests.run(() -> repository.findAudited(id).name()));
        long loaded = cacheAdmin.statistics("it-audited").loads();

        repository.renameInBulk(id, "B");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        org.layeredcache.ConsistencyAudit.Divergence found = null;
        while (found == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no divergence of service-" + id + " within 20 s: "
                        + cacheAdmin.audit("it-audited"));
            }
            assertEquals("A", requests.run(() -> repository.findAudited(id).name()),
                    "a hit, which the auditor samples; the checks published nothing");
            found = cacheAdmin.audit("it-audited").divergences().stream()
                    .filter(divergence -> divergence.key().equals("service-" + id)).findFirst().orElse(null);
            Thread.sleep(50);
        }

        assertEquals(new ServiceView(id, "A").toString(), found.cached());
        assertEquals(new ServiceView(id, "B").toString(), found.current());
        assertEquals(loaded, cacheAdmin.statistics("it-audited").loads(), "the auditor's calls are no loads");
    }

    String taggedNameInAnotherRequest(long id) throws Exception {
        return requests.run(() -> repository.findTagged(id).name());
    }

    /**
     * A read of many keys through an EJB: inside a transaction that rolls back, its loads publish nothing; after
     * a commit they do, shared with single reads, and only the ids no layer has reach the query.
     */
    @Test
    void aReadOfManyKeysPublishesOnlyAfterItsTransactionCommits() throws Exception {
        long a = newId();
        long b = newId();
        repository.create(a, "A");
        repository.create(b, "B");
        int loaded = loads.runs("findAll");

        transaction.begin();
        assertEquals(List.of("A", "B"), repository.findAll(List.of(a, b)).stream().map(ServiceView::name).toList());
        transaction.rollback();
        assertEquals(List.of("B", "A"), requests.run(() -> repository.findAll(List.of(b, a)))
                .stream().map(ServiceView::name).toList());
        assertEquals(loaded + 2, loads.runs("findAll"), "the rolled-back read published nothing");

        int found = loads.runs("find");
        assertEquals("A", nameInAnotherRequest(a));
        assertEquals(found, loads.runs("find"), "a single read finds what the many-keys read published");
        long c = newId();
        repository.create(c, "C");
        assertEquals(List.of("C", "A", "C"), requests.run(() -> repository.findAll(List.of(c, a, c)))
                .stream().map(ServiceView::name).toList());
        assertEquals(loaded + 3, loads.runs("findAll"), "one more query, for the one new id");

        long d = newId();
        repository.create(d, "D");
        assertEquals("D", nameInAnotherRequest(d));
        assertEquals(List.of("D", "A"), requests.run(() -> repository.findAll(List.of(d, a)))
                .stream().map(ServiceView::name).toList());
        assertEquals(loaded + 3, loads.runs("findAll"), "the many-keys read finds what the single read published");
    }

    @Inject
    org.layeredcache.SharedObjects objects;

    /** What another thread (no transaction, no request of this one) reads of a shared object. */
    private List<String> notesElsewhere(long id) throws Exception {
        return CompletableFuture.supplyAsync(() -> objects.<List<String>>get("notes", id)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aSharedObjectsChangesReachTheClusterOnceAfterTheCommitAndNotAfterARollback() throws Exception {
        long id = newId();
        long writes = objects.status("notes").writes();
        transaction.begin();
        try {
            objects.change("notes", id, (List<String> notes) -> Notes.with(notes, "a"));
            objects.change("notes", id, (List<String> notes) -> Notes.with(notes, "b"));
            assertEquals(List.of("a", "b"), objects.get("notes", id), "the transaction sees its changes");
            assertEquals(null, notesElsewhere(id), "nobody else does before the commit");
        } finally {
            transaction.commit();
        }
        assertEquals(List.of("a", "b"), notesElsewhere(id), "everybody does after it");
        assertEquals(writes + 1, objects.status("notes").writes(), "one cluster write for the transaction");

        transaction.begin();
        objects.change("notes", id, (List<String> notes) -> Notes.with(notes, "c"));
        transaction.rollback();
        assertEquals(List.of("a", "b"), notesElsewhere(id), "a rollback writes nothing");
        assertEquals(List.of("a", "b"), objects.get("notes", id), "not even here");
        assertEquals(writes + 1, objects.status("notes").writes());
    }

    @Test
    void aRolledBackWriteInvalidatesNothing() throws Exception {
        long id = newId();
        repository.create(id, "A");
        assertEquals("A", nameInAnotherRequest(id));
        int loaded = loads.runs("find");

        transaction.begin();
        repository.rename(id, "X");
        transaction.rollback();

        assertEquals("A", nameInAnotherRequest(id));
        assertEquals(loaded, loads.runs("find"), "still served from the cache");
    }

    @Test
    void aValueLoadedInsideARolledBackTransactionIsNeverPublished() throws Exception {
        long id = newId();
        repository.create(id, "A");

        transaction.begin();
        try {
            repository.rename(id, "X");
            assertEquals("X", repository.find(id).name(), "inside the transaction, its own write is read");
        } finally {
            transaction.rollback();
        }
        int loaded = loads.runs("find");

        assertEquals("A", repository.find(id).name(), "not even this request's layer keeps the rolled-back read");
        assertEquals("A", nameInAnotherRequest(id));
        assertEquals(loaded + 1, loads.runs("find"), "loaded once more, then cached");
    }

    /**
     * Single flight meets JTA: a read that misses while another request's load of the key is inside a
     * transaction waits for that transaction; on commit it gets the loaded value, on rollback it loads itself.
     */
    @Test
    void aReaderWaitsForALoadInsideATransactionAndGetsItsValueAfterTheCommit() throws Exception {
        long id = newId();
        repository.create(id, "A");
        int loaded = loads.runs("find");

        transaction.begin();
        Future<String> waiter;
        try {
            waiter = aReaderWaitingForThisTransactionsLoad(id);
        } finally {
            transaction.commit();
        }

        assertEquals("A", waiter.get(10, TimeUnit.SECONDS));
        assertEquals(loaded + 1, loads.runs("find"), "the waiter got the committed load's value");
    }

    /**
     * (Nothing is written here: a written row would be locked, and a reader could wait for the lock instead of
     * the load.)
     */
    @Test
    void aReaderWaitingForALoadWhoseTransactionRollsBackLoadsItself() throws Exception {
        long id = newId();
        repository.create(id, "A");
        int loaded = loads.runs("find");

        transaction.begin();
        Future<String> waiter;
        try {
            waiter = aReaderWaitingForThisTransactionsLoad(id);
        } finally {
            transaction.rollback();
        }

        assertEquals("A", waiter.get(10, TimeUnit.SECONDS));
        assertEquals(loaded + 2, loads.runs("find"), "the waiter loaded by itself after the rollback");
    }

    /**
     * Loads the row inside the current transaction, then starts a read of it as another request, and returns once
     * that read waits for this transaction's load.
     */
    private Future<String> aReaderWaitingForThisTransactionsLoad(long id) throws Exception {
        assertEquals("A", repository.find(id).name());
        CompletableFuture<Thread> waiterThread = new CompletableFuture<>();
        Future<String> waiter = requests.start(() -> repository.find(id).name(), waiterThread);
        awaitWaiting(waiterThread.get(10, TimeUnit.SECONDS));
        assertFalse(waiter.isDone(), "the reader waits for the transaction's end");
        return waiter;
    }

    /** Until the thread is parked: the read is waiting for the load in flight (it would not, without one). */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the second read never waited for the load in flight; it is "
                        + thread.getState());
            }
            Thread.sleep(5);
        }
    }
}
