package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.Counter;
import org.layeredcache.testing.InProcessNodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.eventually;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * {@code @CachedRead} on methods that answer a {@code CompletionStage}: a hit answers a completed stage, concurrent
 * misses share one call without the caller that leads it waiting for the stage, a failed stage is never cached and
 * reaches every waiter, and {@code @Invalidates} on an asynchronous write waits for its stage. (That a stage which
 * completes after a rollback publishes nothing is checked on the server, where there are transactions.)
 */
class AsyncReadsTest {

    static final IllegalStateException BROKEN = new IllegalStateException("the stage failed, on purpose");

    /** Answers stages that the test completes when it wants, one per id. */
    @ApplicationScoped
    public static class Prices {
        private final Counter calls = new Counter();
        private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

        public int calls() {
            return calls.count();
        }

        /** The stage the last call for {@code id} answered, completed by the test. */
        CompletableFuture<String> pending(long id) {
            return pending.get(id);
        }

        @CachedRead(cache = "async", key = "price-{id}")
        public CompletionStage<String> price(long id) {
            CompletableFuture<String> stage = new CompletableFuture<>();
            pending.put(id, stage);
            calls.next();                       // counted once its stage is there: a test that saw the count finds it
            return stage;
        }

        @CachedRead(cache = "async", key = "now-{id}")
        public CompletableFuture<String> now(long id) {
            calls.next();
            return CompletableFuture.completedFuture("price " + id + " " + calls.count());
        }

        @CachedRead(cache = "async", key = "maybe-{id}", unless = "result == null")
        public CompletableFuture<Optional<String>> maybe(long id, boolean present) {
            calls.next();
            return CompletableFuture.completedFuture(present ? Optional.of("maybe " + calls.count())
                    : Optional.empty());
        }

        @Invalidates(cache = "async", key = "price-{id}")
        public void changePrice(long id) {
            // the annotation is the work
        }

        @Invalidates(cache = "async", key = "now-{id}")
        public CompletionStage<Void> change(long id, CompletableFuture<Void> done) {
            return done;
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Prices.class);

    @Test
    void aHitAnswersACompletedStageOnEveryNode() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        Prices b = bean(NODES.b(), Prices.class);
        int calls = a.calls() + b.calls();

        String first = a.now(id).get(5, TimeUnit.SECONDS);
        CompletableFuture<String> hit = a.now(id);
        assertThat(hit).isCompletedWithValue(first);
        assertThat(b.now(id)).as("from the cluster on the other node").isCompletedWithValue(first);
        assertThat(a.calls() + b.calls() - calls).isEqualTo(1);
    }

    @Test
    void sixtyFourCallersOfAColdReadRunTheMethodOnceAndTheLeaderDoesNotWait() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        int calls = a.calls();
        long waits = statistics(NODES.a(), "async").waits();

        CompletionStage<String> leader = a.price(id);
        assertThat(leader.toCompletableFuture()).as("the caller got the stage before it completed").isNotDone();
        List<Future<CompletionStage<String>>> others = callConcurrently(63, () -> a.price(id));
        assertThat(eventually(Duration.ofSeconds(10), () -> statistics(NODES.a(), "async").waits() - waits == 63))
                .as("the other 63 wait for the load in flight").isTrue();
        for (Future<CompletionStage<String>> other : others) {
            assertThat(other.get(5, TimeUnit.SECONDS).toCompletableFuture())
                    .as("each caller got its stage at once; none waits on its thread").isNotDone();
        }

        a.pending(id).complete("price of " + id);

        assertThat(leader.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("price of " + id);
        for (Future<CompletionStage<String>> other : others) {
            assertThat(other.get(10, TimeUnit.SECONDS).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isEqualTo("price of " + id);
        }
        assertThat(a.calls() - calls).isEqualTo(1);
        assertThat(a.price(id).toCompletableFuture()).as("cached once the stage completed")
                .isCompletedWithValue("price of " + id);
    }

    @Test
    void aStageThatFailsReachesEveryWaiterAndIsNotCached() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        int calls = a.calls();
        long waits = statistics(NODES.a(), "async").waits();

        CompletionStage<String> leader = a.price(id);
        List<Future<CompletionStage<String>>> others = callConcurrently(63, () -> a.price(id));
        assertThat(eventually(Duration.ofSeconds(10), () -> statistics(NODES.a(), "async").waits() - waits == 63))
                .isTrue();

        a.pending(id).completeExceptionally(BROKEN);

        assertThat(catchThrowable(() -> leader.toCompletableFuture().get(5, TimeUnit.SECONDS)))
                .isInstanceOf(ExecutionException.class).hasCause(BROKEN);
        for (Future<CompletionStage<String>> other : others) {
            CompletionStage<String> stage = other.get(10, TimeUnit.SECONDS);
            assertThat(catchThrowable(() -> stage.toCompletableFuture().get(5, TimeUnit.SECONDS)))
                    .as("a failed stage, not a thrown exception").isInstanceOf(ExecutionException.class)
                    .hasCause(BROKEN);
        }
        assertThat(a.calls() - calls).isEqualTo(1);

        CompletionStage<String> again = a.price(id);
        assertThat(a.calls() - calls).as("the failure was not cached: the next call runs the method").isEqualTo(2);
        a.pending(id).complete("recovered");
        assertThat(again.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("recovered");
    }

    @Test
    void waitersOfALoadThatAnInvalidationOvertookCallAgainAndGetTheNewValue() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        int calls = a.calls();
        long waits = statistics(NODES.a(), "async").waits();

        CompletionStage<String> leader = a.price(id);
        CompletableFuture<String> overtaken = a.pending(id);
        List<Future<CompletionStage<String>>> others = callConcurrently(3, () -> a.price(id));
        assertThat(eventually(Duration.ofSeconds(10), () -> statistics(NODES.a(), "async").waits() - waits == 3))
                .isTrue();

        a.changePrice(id);                             // the load in flight can no longer be shared
        overtaken.complete("old price");
        assertThat(leader.toCompletableFuture().get(5, TimeUnit.SECONDS)).as("its own caller gets what it read")
                .isEqualTo("old price");
        assertThat(eventually(Duration.ofSeconds(10), () -> a.calls() - calls == 2))
                .as("the waiters call again, sharing one new load").isTrue();
        a.pending(id).complete("new price");
        for (Future<CompletionStage<String>> other : others) {
            assertThat(other.get(10, TimeUnit.SECONDS).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isEqualTo("new price");
        }
        assertThat(a.calls() - calls).isEqualTo(2);
    }

    /**
     * The thread that led an asynchronous load serves another caller of the same key while the load goes on (a
     * pooled thread): that caller waits for the load like any other, rather than taking the thread for the load's
     * own (which, before, made it call the method again).
     */
    @Test
    void aLaterCallerOnTheThreadThatLedAnAsynchronousLoadJoinsIt() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        int calls = a.calls();
        java.util.concurrent.ExecutorService pooled = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            CompletionStage<String> first = pooled.submit(() -> a.price(id)).get(10, TimeUnit.SECONDS);
            CompletionStage<String> second = pooled.submit(() -> a.price(id)).get(10, TimeUnit.SECONDS);

            assertThat(a.calls() - calls).as("the second caller joined the load").isEqualTo(1);
            a.pending(id).complete("one price");
            assertThat(first.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("one price");
            assertThat(second.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("one price");
        } finally {
            pooled.shutdownNow();
        }
    }

    @Test
    void unlessAndOptionalsApplyToTheStagesValue() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        int calls = a.calls();

        assertThat(a.maybe(id, false).get(5, TimeUnit.SECONDS)).isEmpty();
        String present = a.maybe(id, true).get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(a.maybe(id, false).get(5, TimeUnit.SECONDS)).as("the empty one was kept out").contains(present);
        assertThat(a.calls() - calls).isEqualTo(2);
    }

    @Test
    void anAsynchronousWriteInvalidatesOnceItsStageCompletes() throws Exception {
        long id = newId();
        Prices a = bean(NODES.a(), Prices.class);
        String cached = a.now(id).get(5, TimeUnit.SECONDS);

        CompletableFuture<Void> done = new CompletableFuture<>();
        a.change(id, done);
        assertThat(a.now(id)).as("the write has not completed: nothing dropped yet").isCompletedWithValue(cached);

        done.complete(null);
        assertThat(a.now(id).get(5, TimeUnit.SECONDS)).isNotEqualTo(cached);
    }

    private static <T> List<Future<T>> callConcurrently(int callers, java.util.concurrent.Callable<T> call) {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            futures.add(pool.submit(call));
        }
        pool.shutdown();
        return futures;
    }
}
