package org.layeredcache.it;

import com.hazelcast.cache.ICache;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.spi.impl.tenantcontrol.impl.TenantControlServiceImpl;
import com.hazelcast.spi.tenantcontrol.TenantControl;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.persistence.TypedQuery;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheStatistics;
import org.layeredcache.CacheTasks;
import org.layeredcache.TaskPendingException;
import org.layeredcache.TaskStatus;
import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.key.CacheKey;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.naming.InitialContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layeredcache.testing.StatisticsAssert.assertThat;
import static org.layeredcache.testing.StatisticsAssert.assertThatChange;

/**
 * The library inside Payara Micro on the embedded H2 database: the read path through Payara's own Hazelcast
 * JCache, the transaction rules (inherited), results, and faults. The test that shuts Hazelcast down runs last.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class H2InContainerIT extends TransactionContract {

    @Deployment
    static WebArchive deployment() {
        return TestWars.war("layered-cache-h2", "persistence-h2.xml", """
                        layered-cache.cache.it-cluster-only.request.enabled=false
                        layered-cache.cache.it-cluster-only.near.enabled=false
                        layered-cache.cache.it-preload.cluster.max-value-size=2KB
                        layered-cache.cache.it-preload.preload.chunk-size=10
                        layered-cache.jsr107.leave-to-server=org.layeredcache.it.ServerCachedLookups
                        layered-cache.cache.it-audited.audit.enabled=true
                        layered-cache.cache.it-audited.audit.period=200ms
                        layered-cache.cache.it-audited.audit.recheck-after=500ms
                        """)
                .addClasses(TransactionContract.class, TimedReader.class, TimedValues.class, Colours.class,
                        PriceSource.class, EuroPrices.class, DollarPrices.class, PreloadItems.class,
                        PreloadItems.Item.class, StandardLookups.class, ServerCachedLookups.class, PlainReads.class);
    }

    @Inject
    TimedReader timer;

    @Inject
    TimedValues timedValues;

    @Inject
    Colours colours;

    @EJB(beanName = "EuroPrices")
    PriceSource euros;

    @EJB(beanName = "DollarPrices")
    PriceSource dollars;

    /** Called through their business interface, two EJBs each keep their own annotation's cache. */
    @Test
    void twoImplementationsOfOneInterfaceUseTheirOwnCaches() throws Exception {
        long id = newId();
        CacheStatistics euroBefore = admin.statistics("it-euro");
        CacheStatistics dollarBefore = admin.statistics("it-dollar");

        assertEquals(id + " EUR", euros.price(id));
        assertEquals(id + " USD", dollars.price(id));
        assertEquals(id + " USD", requests.run(() -> dollars.price(id)));

        assertThatChange(euroBefore, admin.statistics("it-euro")).loads(1);
        assertThatChange(dollarBefore, admin.statistics("it-dollar")).loads(1).nearOrClusterHits(1);
    }

    @Test
    void templateLessReadsOfOneCacheNeverShareEntries() throws Exception {
        long id = newId();
        assertEquals("name of " + id, colours.nameOf(id));
        assertEquals("colour of " + id, colours.colourOf(id), "not the name cached for the same id");
        assertEquals((int) id, colours.sizeOf(id));
        assertEquals("colour of " + id, requests.run(() -> colours.colourOf(id)));
        CacheStatistics before = admin.statistics("it-clash");

        colours.repaint(id);                                       // drops all three entries of the id

        requests.run(() -> List.of(colours.nameOf(id), colours.colourOf(id), colours.sizeOf(id)));
        assertThatChange(before, admin.statistics("it-clash")).loads(3);
    }

    /**
     * A load in an EJB timer (the container's timeout transaction and request context) is published like any
     * other: the first tick loads, the following ticks and other requests hit.
     */
    @Test
    void aLoadInAnEjbTimerIsPublishedForEveryoneElse() throws Exception {
        long id = newId();
        int ticks = timer.reads();
        timer.arm(id);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (timer.reads() < ticks + 3) {
                assertTrue(System.nanoTime() < deadline, "the timer ticked three times within a minute");
                Thread.sleep(100);
            }
            assertEquals("value " + id, requests.run(() -> timedValues.value(id)));
            assertEquals("value " + id, requests.run(() -> timedValues.value(id)));
            assertEquals(1, timedValues.loads(), "only the timer's first tick ran the method");
        } finally {
            timer.disarm();
        }
        assertThat(admin.statistics("it-timer")).faults(0);
    }

    @Inject
    Lookups lookups;

    @Inject
    CacheAdmin admin;

    @Inject
    CacheManager cacheManager;

    @Inject
    org.layeredcache.internal.cache.CacheRegistry registry;

    @Inject
    StandardLookups standard;

    @Inject
    ServerCachedLookups serverCached;

    /**
     * The JSR-107 annotations go through the library's layers (a near hit after the first load, a put and a removal
     * after the commit) and never through Payara's own interceptors, whose work would leave entries keyed by their
     * generated keys in the cache of the same name; a class left to the server shows that such entries are seen.
     */
    @Test
    @Order(3)
    void theStandardAnnotationsGoThroughTheLayersAndNotThroughPayarasInterceptors() throws Exception {
        long id = newId();
        int runs = loads.runs("standard");
        CacheStatistics before = admin.statistics("it-standard");
        String first = requests.run(() -> standard.find(id));
        assertEquals(first, requests.run(() -> standard.find(id)));
        assertEquals(first, requests.run(() -> standard.find(id)));
        assertEquals(runs + 1, loads.runs("standard"));
        assertThatChange(before, admin.statistics("it-standard")).loads(1).nearHits(2);
        assertEquals(0, writtenByPayara("it-standard"), "Payara's @CacheResult interceptor never ran for it");

        int serverRuns = loads.runs("server-standard");
        serverCached.find(id);
        serverCached.find(id);
        assertEquals(serverRuns + 1, loads.runs("server-standard"), "Payara's interceptor caches the class left to it");
        assertTrue(writtenByPayara("it-server-standard") > 0, "and its entries are what the count looks for");

        transaction.begin();
        try {
            standard.save(id, "saved " + id);
            assertEquals(first, requests.run(() -> standard.find(id)), "before the commit, the old entry");
        } finally {
            transaction.commit();
        }
        assertEquals("saved " + id, requests.run(() -> standard.find(id)), "after it, the put value");
        transaction.begin();
        standard.delete(id);
        transaction.rollback();
        assertEquals("saved " + id, requests.run(() -> standard.find(id)), "a rollback removes nothing");
        standard.delete(id);
        assertNotEquals("saved " + id, requests.run(() -> standard.find(id)));
        assertEquals(runs + 2, loads.runs("standard"));
    }

    /** Entries of the cluster cache {@code name} that the library did not write (its keys are bytes). */
    private long writtenByPayara(String name) {
        Cache<Object, Object> cache = cacheManager.getCache(name);
        long count = 0;
        if (cache != null) {
            for (Cache.Entry<Object, Object> entry : cache) {
                if (!(entry.getKey() instanceof byte[])) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Refresh-ahead inside Payara: the reload runs on the server's managed executor and calls the EJB again
     * through its proxy, in a transaction of its own.
     */
    @Test
    void anOldEntryIsReloadedInTheBackgroundThroughTheEjb() throws Exception {
        long id = newId();
        repository.create(id, "A");
        assertEquals("A", requests.run(() -> repository.findRefreshing(id).name()));
        long publishedBy = System.currentTimeMillis();
        repository.renameBehindTheCachesBack(id, "B");
        int loaded = loads.runs("findRefreshing");
        while (System.currentTimeMillis() - publishedBy < 1_100) {
            Thread.sleep(20);                                  // until the entry is older than refreshAfter
        }

        assertEquals("A", requests.run(() -> repository.findRefreshing(id).name()), "answered at once, old");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"B".equals(requests.run(() -> repository.findRefreshing(id).name()))) {
            assertTrue(System.nanoTime() < deadline, "the reload never published the new row");
            Thread.sleep(20);
        }
        assertEquals(loaded + 1, loads.runs("findRefreshing"), "one reload, and no caller loaded");
        assertThat(admin.statistics("it-refresh")).refreshes(1);
    }

    @Inject
    CacheTasks tasks;

    /** A task requested inside a transaction starts after the commit (it sees the row), never after a rollback. */
    @Test
    void aTaskStartsOnlyAfterItsTransactionCommitsAndNeverAfterARollback() throws Exception {
        long id = newId();
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        transaction.begin();
        TaskStatus committed;
        try {
            repository.create(id, "A");
            committed = tasks.start("it-after-commit-" + id, "reads the row", progress -> seen.add(repository.exists(id)));
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);    // nothing may run meanwhile
            while (seen.isEmpty() && System.nanoTime() < bound) {
                Thread.sleep(20);
            }
            assertTrue(seen.isEmpty(), "the task ran before the commit: " + seen);
        } finally {
            transaction.commit();
        }
        awaitState(committed.id(), "succeeded");
        assertEquals(List.of(true), seen, "it ran once, after the commit, and saw the row");

        List<String> ran = new CopyOnWriteArrayList<>();
        transaction.begin();
        TaskStatus rolledBack;
        try {
            rolledBack = tasks.start("it-rolled-back-" + id, "never runs", progress -> ran.add("ran"));
        } finally {
            transaction.rollback();
        }
        assertEquals("cancelled", tasks.status(rolledBack.id()).orElseThrow().state());
        assertTrue(tasks.start("it-rolled-back-" + id, "the scope is free again", progress -> { }).pending());
        assertEquals(List.of(), ran);
    }

    /** Tasks requested in one request start one after the other, in the order they were requested. */
    @Test
    void tasksRequestedInOneRequestRunInThatOrder() throws Exception {
        long id = newId();
        List<String> steps = new CopyOnWriteArrayList<>();
        List<TaskStatus> started = requests.run(() -> List.of(
                tasks.start("it-order-1-" + id, "first", progress -> {
                    steps.add("first starts");
                    Thread.sleep(300);
                    steps.add("first ends");
                }),
                tasks.start("it-order-2-" + id, "second", progress -> steps.add("second starts"))));
        for (TaskStatus task : started) {
            awaitState(task.id(), "succeeded");
        }
        assertEquals(List.of("first starts", "first ends", "second starts"), steps);
        TaskPendingException duplicate = assertThrows(TaskPendingException.class, () -> {
            tasks.start("it-order-3-" + id, "long", progress -> Thread.sleep(2_000));
            tasks.start("it-order-3-" + id, "the same scope again", progress -> { });
        });
        assertEquals("it-order-3-" + id, duplicate.pending().scope());
    }

    /**
     * Cancelling: a running task ends {@code cancelled} at its next step, and a task queued behind it in the same
     * request never starts; an ended task cannot be cancelled.
     */
    @Test
    void aCancelledTaskStopsAtItsNextStepAndAQueuedOneNeverStarts() throws Exception {
        long id = newId();
        List<String> ran = new CopyOnWriteArrayList<>();
        List<TaskStatus> started = requests.run(() -> List.of(
                tasks.start("it-cancel-1-" + id, "steps until cancelled", progress -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (System.nanoTime() < deadline) {
                        progress.step();
                        Thread.sleep(10);
                    }
                    ran.add("never cancelled");
                }),
                tasks.start("it-cancel-2-" + id, "queued behind it", progress -> ran.add("second ran"))));
        awaitState(started.get(0).id(), "running");
        assertTrue(tasks.cancel(started.get(1).id()));
        assertTrue(tasks.cancel(started.get(0).id()));
        awaitState(started.get(0).id(), "cancelled");
        awaitState(started.get(1).id(), "cancelled");
        assertEquals(List.of(), ran);
        assertEquals("cancelled before it started", tasks.status(started.get(1).id()).orElseThrow().error());
        assertTrue(tasks.status(started.get(0).id()).orElseThrow().done() > 0);
        assertTrue(!tasks.cancel(started.get(0).id()), "an ended task is not pending");
    }

    /**
     * A warm-up reads each key through its method on the managed executor, so later reads hit; bad keys are
     * refused before anything starts, naming the key.
     */
    @Test
    void aWarmUpReadsEachKeyThroughItsMethodSoLaterReadsHit() throws Exception {
        long first = newId();
        long second = newId();
        repository.create(first, "one");
        repository.create(second, "two");
        int loaded = loads.runs("find");
        TaskStatus warmUp = tasks.warmUp("it-services", List.of("service-" + first, "service-" + second));
        awaitState(warmUp.id(), "succeeded");
        assertEquals(2, tasks.status(warmUp.id()).orElseThrow().done());
        assertEquals(loaded + 2, loads.runs("find"), "each key loaded once by the warm-up");
        assertEquals("two", requests.run(() -> repository.find(second).name()));
        assertEquals(loaded + 2, loads.runs("find"), "a read after the warm-up hits");

        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class,
                () -> tasks.warmUp("it-services", List.of("service-" + first, "service-x")));
        assertTrue(badKey.getMessage().contains("'service-x'") && badKey.getMessage().contains("service-{id}"),
                badKey.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> tasks.warmUp("it-nope", List.of("service-1")));

        long id = newId();
        TaskStatus failing = tasks.warmUp("it-results", List.of("failing-" + id, "nothing-" + id));
        awaitState(failing.id(), "failed");
        TaskStatus ended = tasks.status(failing.id()).orElseThrow();
        assertEquals(2, ended.done(), "the warm-up went on after the key whose read threw");
        assertTrue(ended.error().contains("1 of 2 key(s) of cache 'it-results' could not be read")
                && ended.error().contains("broken on purpose"), ended.error());
        assertTrue(unknown.getMessage().contains("'it-nope'"), unknown.getMessage());
    }

    @Inject
    PreloadItems preloadItems;

    /**
     * A bulk preload inside Payara: written in chunks of 10 (one bulk put each), the oversized value skipped and
     * counted; the preloaded entries are then hits and the skipped one is loaded.
     */
    @Test
    void aPreloadWritesChunksAndSkipsTheValueOverTheSizeLimit() throws Exception {
        PreloadItems.first = newId() * 1000;
        PreloadItems.count = 45;
        CacheStatistics before = admin.statistics("it-preload");
        TaskStatus preload = tasks.preload("it-preload");
        awaitState(preload.id(), "succeeded");

        TaskStatus ended = tasks.status(preload.id()).orElseThrow();
        assertEquals(45, ended.done());
        assertEquals(1, ended.skipped());
        assertThatChange(before, admin.statistics("it-preload")).preloadChunks(5)    // 44 entries in chunks of 10
                .preloaded(44).oversized(1);
        int loads = PreloadItems.LOADS.get();
        requests.run(() -> preloadItems.item(PreloadItems.first + 10));
        assertEquals(loads, PreloadItems.LOADS.get(), "a preloaded entry is a hit");
        requests.run(() -> preloadItems.item(PreloadItems.first + 3));
        assertEquals(loads + 1, PreloadItems.LOADS.get(), "the skipped one is loaded");
    }

    /** A cancelled preload stops after its current chunk; what it wrote stays, the rest is never written. */
    @Test
    void aCancelledPreloadStopsAfterItsCurrentChunk() throws Exception {
        PreloadItems.first = newId() * 1000;
        PreloadItems.count = 100;
        CountDownLatch slow = new CountDownLatch(1);
        PreloadItems.slowAfter = slow;
        try {
            TaskStatus preload = tasks.preload("it-preload");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (tasks.status(preload.id()).orElseThrow().done() < 20) {
                assertTrue(System.nanoTime() < deadline, "two chunks written: " + tasks.status(preload.id()));
                Thread.sleep(20);
            }
            assertTrue(tasks.cancel(preload.id()));
            slow.countDown();
            awaitState(preload.id(), "cancelled");
            assertTrue(tasks.status(preload.id()).orElseThrow().done() < 100);
        } finally {
            PreloadItems.slowAfter = null;
            slow.countDown();
        }
        int loads = PreloadItems.LOADS.get();
        requests.run(() -> preloadItems.item(PreloadItems.first + 99));
        assertEquals(loads + 1, PreloadItems.LOADS.get(), "the last items were never written");
    }

    @Inject
    PlainReads plainReads;

    /**
     * The server closes the entity managers a component invocation used without a transaction when it ends. Work
     * the library hands to the managed executor runs in an invocation of its own: when a task ends, the request
     * that started it still reads on its entity manager.
     */
    @Test
    void aTaskThatEndsNeverClosesTheEntityManagerOfTheRequestThatStartedIt() throws Exception {
        plainReads.count();                                   // this request reads without a transaction first
        CompletableFuture<Thread> worker = new CompletableFuture<>();
        TaskStatus task = tasks.start("it-own-em-" + newId(), "reads without a transaction", progress -> {
            worker.complete(Thread.currentThread());
            plainReads.count();
        });
        TypedQuery<Long> query = plainReads.countQuery();
        awaitState(task.id(), "succeeded");
        awaitBackInPool(worker.get(20, TimeUnit.SECONDS));
        assertTrue(query.getSingleResult() >= 0);
    }

    /** The other way round: the end of the request that started a task never closes the task's entity manager. */
    @Test
    void theEndOfTheRequestThatStartedATaskNeverClosesTheTasksEntityManager() throws Exception {
        CompletableFuture<Thread> request = new CompletableFuture<>();
        CompletableFuture<Long> read = new CompletableFuture<>();
        TaskStatus task = requests.start(() -> {
            plainReads.count();
            return tasks.start("it-own-em-" + newId(), "reads after its request ended", progress -> {
                TypedQuery<Long> query = plainReads.countQuery();
                Thread requesting = request.get(20, TimeUnit.SECONDS);
                if (requesting != Thread.currentThread()) {        // on the same thread, that request has ended
                    awaitBackInPool(requesting);
                }
                read.complete(query.getSingleResult());
            });
        }, request).get(20, TimeUnit.SECONDS);
        awaitState(task.id(), "succeeded");
        assertTrue(read.get(20, TimeUnit.SECONDS) >= 0);
    }

    /** Waits until {@code thread}, a managed executor's, is back waiting for work: its last task's context is reset. */
    private static void awaitBackInPool(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Arrays.stream(thread.getStackTrace()).noneMatch(frame -> frame.getMethodName().equals("getTask"))) {
            assertTrue(System.nanoTime() < deadline, thread + " went back to its pool");
            Thread.sleep(10);
        }
    }

    private void awaitState(String id, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!tasks.status(id).map(TaskStatus::state).orElse("").equals(state)) {
            assertTrue(System.nanoTime() < deadline, "task " + id + " reached " + state + ": " + tasks.status(id));
            Thread.sleep(20);
        }
    }

    @Test
    @Order(1)
    void eachLayerAnswersInTurnOnTheServer() throws Exception {
        long id = newId();
        repository.create(id, "A");
        CacheStatistics before = admin.statistics("it-services");

        requests.run(() -> {
            assertEquals("A", repository.find(id).name());
            assertEquals("A", repository.find(id).name());
            return null;
        });
        assertEquals("A", nameInAnotherRequest(id));

        assertThatChange(before, admin.statistics("it-services")).loads(1).requestHits(1).nearHits(1);
        Cache<Object, Object> cluster = cacheManager.getCache("it-services");
        byte[] entry = (byte[]) cluster.get(ClusterCodec.key(CacheKey.of("service-{}", id)));
        assertEquals(new ServiceView(id, "A"), registry.codec().read(entry), "published to Payara's Hazelcast JCache");
        assertTrue(ClusterCodec.isFory(entry), "in Apache Fory's form, the default");
    }

    @Test
    @Order(2)
    void withoutRequestAndNearLayersTheClusterAnswers() throws Exception {
        long id = newId();
        repository.create(id, "A");
        CacheStatistics before = admin.statistics("it-cluster-only");

        assertEquals("A", requests.run(() -> repository.findInClusterOnly(id).name()));
        assertEquals("A", requests.run(() -> repository.findInClusterOnly(id).name()));

        assertThatChange(before, admin.statistics("it-cluster-only")).loads(1).clusterHits(1).nearHits(0)
                .requestHits(0);
    }

    @Test
    @Order(3)
    void nullAndEmptyResultsAreCached() throws Exception {
        long id = newId();
        assertNull(requests.run(() -> lookups.nothing(id)));
        assertNull(requests.run(() -> lookups.nothing(id)));
        assertEquals(Optional.empty(), requests.run(() -> lookups.maybe(id)));
        assertEquals(Optional.empty(), requests.run(() -> lookups.maybe(id)));

        assertEquals(1, loads.runs("nothing"));
        assertEquals(1, loads.runs("maybe"));
    }

    /** The server's Jakarta EL implementation evaluates conditions; each outcome is counted. */
    @Test
    @Order(3)
    void conditionsDecideWhatIsCachedAndWhatIsInvalidated() throws Exception {
        long id = newId();
        int runs = loads.runs("conditional");
        CacheStatistics before = admin.statistics("it-results");

        requests.run(() -> lookups.conditional(-id, "negative"));
        requests.run(() -> lookups.conditional(-id, "negative"));
        requests.run(() -> lookups.conditional(id, "draft"));
        requests.run(() -> lookups.conditional(id, "draft"));
        assertEquals(runs + 4, loads.runs("conditional"), "condition false, unless true: nothing cached");
        CacheStatistics after = admin.statistics("it-results");
        assertEquals(2, after.uncachedCalls() - before.uncachedCalls());
        assertEquals(2, after.notCached() - before.notCached());

        String cached = requests.run(() -> lookups.conditional(id, "final"));
        assertEquals(cached, requests.run(() -> lookups.conditional(id, "final")));
        lookups.changeConditional(id, false);
        assertEquals(cached, requests.run(() -> lookups.conditional(id, "final")), "the condition said no");
        lookups.changeConditional(id, true);
        assertNotEquals(cached, requests.run(() -> lookups.conditional(id, "final")), "invalidated after commit");
    }

    /** An asynchronous read's value is published once its stage completed and its transaction committed. */
    @Test
    @Order(3)
    void aStageThatCompletesAfterARollbackPublishesNothing() throws Exception {
        long id = newId();
        int loaded = loads.runs("async");
        transaction.begin();
        CompletionStage<String> first;
        try {
            first = lookups.asyncValue(id);
        } finally {
            transaction.rollback();
        }
        lookups.completeAsync(id, "loaded in a transaction that rolled back");
        assertEquals("loaded in a transaction that rolled back", first.toCompletableFuture().get(5, TimeUnit.SECONDS));

        CompletionStage<String> second = lookups.asyncValue(id);
        assertEquals(loaded + 2, loads.runs("async"), "nothing was published: the next read loads again");
        lookups.completeAsync(id, "loaded without a transaction");
        assertEquals("loaded without a transaction", second.toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals("loaded without a transaction", lookups.asyncValue(id).toCompletableFuture().getNow(null),
                "published at once: a hit");
        assertEquals(loaded + 2, loads.runs("async"));
    }

    @Test
    @Order(4)
    void exceptionsAreNotCachedAndReachTheCallerUnchanged() {
        long id = newId();
        int before = loads.runs("failing");

        assertSame(Lookups.BROKEN, assertThrows(IllegalStateException.class, () -> lookups.failing(id)));
        assertSame(Lookups.BROKEN, assertThrows(IllegalStateException.class, () -> lookups.failing(id)));

        assertEquals(before + 2, loads.runs("failing"));
    }

    /** Our interceptors run inside {@code @Transactional}'s: a write it rolls back invalidates nothing. */
    @Test
    @Order(5)
    void theInterceptorsRunInsideTheTransactionalInterceptor() throws Exception {
        long id = newId();
        repository.create(id, "A");
        assertEquals("A", nameInAnotherRequest(id));
        int loaded = loads.runs("find");

        assertThrows(IllegalStateException.class, () -> lookups.renameThenFail(id, "X"));

        assertEquals("A", nameInAnotherRequest(id));
        assertEquals(loaded, loads.runs("find"));
    }

    @Test
    @Order(6)
    void aValueThatCannotBeSerializedIsReturnedAndTheFaultCounted() throws Exception {
        long id = newId();
        CacheStatistics before = admin.statistics("it-results");

        Lookups.Handle first = requests.run(() -> lookups.handle(id));
        Lookups.Handle second = requests.run(() -> lookups.handle(id));

        assertEquals(id, first.id());
        assertSame(first, second, "kept by this node's near layer");
        assertThatChange(before, admin.statistics("it-results")).faults(1);
    }

    /**
     * The caches and maps the library made, some of them first used from a request, carry no application context:
     * Payara's Hazelcast would otherwise re-enter it around every operation on them.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void theLibrarysClusterObjectsCarryNoApplicationContext() throws Exception {
        assertEquals("A", requests.run(() -> {
            long id = newId();
            repository.create(id, "A");
            return repository.find(id).name();
        }));
        HazelcastInstance hazelcast = (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
        TenantControlServiceImpl tenants = ((HazelcastInstanceProxy) hazelcast).getOriginal().node.getNodeEngine()
                .getTenantControlService();
        List<String> checked = new ArrayList<>();
        for (DistributedObject object : hazelcast.getDistributedObjects()) {
            String name = object instanceof ICache<?, ?> cache ? cache.getPrefixedName() : object.getName();
            boolean ours = object instanceof ICache<?, ?> cache ? admin.cacheNames().contains(cache.getName())
                    : name.startsWith("layered-cache");   // not Payara's own caches (it-server-standard)
            if (ours) {
                checked.add(name);
                TenantControl saved = tenants.getTenantControl(object.getServiceName(), name);
                assertTrue(saved == null || saved == TenantControl.NOOP_TENANT_CONTROL,
                        name + " carries an application context: " + saved);
            }
        }
        assertTrue(checked.stream().anyMatch(name -> name.endsWith("it-services")), "checked " + checked);
        assertTrue(checked.contains("layered-cache-invalidations"), "checked " + checked);
    }

    /** Last: after it, this server has no Hazelcast (tests without an order run in between). */
    @Test
    @Order(Integer.MAX_VALUE)
    void withHazelcastShutDownEveryCallStillReturnsTheMethodsValue() throws Exception {
        long cached = newId();
        repository.create(cached, "A");
        assertEquals("A", nameInAnotherRequest(cached));
        long cold = newId();
        repository.create(cold, "C");
        long faults = admin.statistics("it-services").faults();

        HazelcastInstance hazelcast = (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
        hazelcast.shutdown();

        assertEquals("C", nameInAnotherRequest(cold));
        assertEquals("A", nameInAnotherRequest(cached), "the near layer still answers");
        repository.rename(cached, "B");
        assertEquals("B", nameInAnotherRequest(cached), "this node's layers were still invalidated");
        assertTrue(admin.statistics("it-services").faults() > faults, "the faults were counted");
    }
}
