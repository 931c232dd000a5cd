package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.Containers;
import org.layeredcache.testing.Counter;
import org.layeredcache.testing.InProcessNodes;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
 * {@code condition} and {@code unless}: a call whose condition is false touches no layer, a value that
 * {@code unless} keeps out is returned and stored nowhere, an invalidation whose condition is false drops nothing;
 * each counted; bad expressions fail the deployment naming the method and the expression.
 */
class ConditionsTest {

    public record Filter(String text, int limit) implements Serializable {
    }

    /** A bean property (getter), beside the record components. */
    public static class Account implements Serializable {
        private final boolean premium;

        public Account(boolean premium) {
            this.premium = premium;
        }

        public boolean isPremium() {
            return premium;
        }
    }

    @ApplicationScoped
    public static class Search {
        private final Counter calls = new Counter();

        public int calls() {
            return calls.count();
        }

        @CachedRead(cache = "conditions", key = "search-{id}-{filter.text}", condition = "filter.limit <= 100")
        public String search(long id, Filter filter) {
            calls.next();
            return "found " + filter.text() + " " + calls.count();
        }

        @CachedRead(cache = "conditions", key = "premium-{id}", condition = "${account.premium and id > 0}")
        public String premium(long id, Account account) {
            calls.next();
            return "premium " + id + " " + calls.count();
        }

        @CachedRead(cache = "conditions", key = "lookup-{id}", unless = "result == null or result.size() > limit")
        public List<String> lookup(long id, int limit, int found) {
            calls.next();
            if (found < 0) {
                return null;
            }
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < found; i++) {
                rows.add("row " + i);
            }
            return rows;
        }

        @CachedRead(cache = "conditions", key = "maybe-{id}", unless = "result eq null")
        public Optional<String> maybe(long id, boolean present) {
            calls.next();
            return present ? Optional.of("value " + id + " " + calls.count()) : Optional.empty();
        }

        @CachedRead(cache = "conditions", key = "typed-{id}", condition = "options.limit > 0")
        public String typed(long id, Object options) {
            calls.next();
            return "typed " + id + " " + calls.count();
        }

        @CachedRead(cache = "conditions", key = "slow-{id}", unless = "result.startsWith('temporary')")
        public String slow(long id, CountDownLatch release) throws InterruptedException {
            calls.next();
            release.await(10, TimeUnit.SECONDS);
            return "temporary " + id;
        }

        @Invalidates(cache = "conditions", key = "premium-{id}", condition = "result > 0")
        public int update(long id, int rows) {
            if (rows < 0) {
                throw new IllegalStateException("failed after writing, on purpose");
            }
            return rows;
        }

        @Invalidates(cache = "conditions", key = "premium-{id}", condition = "notify")
        @Invalidates(cache = "conditions", key = "lookup-{id}")
        public void touch(long id, boolean notify) {
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Search.class);

    @Test
    void aCallWhoseConditionIsFalseRunsTheMethodAndTouchesNoLayer() {
        long id = newId();
        Search a = bean(NODES.a(), Search.class);
        CacheStatistics before = statistics(NODES.a(), "conditions");

        try (CacheRecording recording = bean(NODES.a(), CacheAdmin.class).startRecording()) {
            String first = a.search(id, new Filter("big", 500));
            String second = a.search(id, new Filter("big", 500));
            assertThat(second).as("uncached: the method ran again").isNotEqualTo(first);
            assertThat(recording.reads("conditions")).as("no layer was asked").isEmpty();
            assertThat(recording.writes("conditions")).isEmpty();
        }
        CacheStatistics after = statistics(NODES.a(), "conditions");
        assertThat(after.uncachedCalls() - before.uncachedCalls()).isEqualTo(2);
        assertThat(after.calls()).as("uncached calls are not layered calls").isEqualTo(before.calls());

        String cached = a.search(id, new Filter("small", 10));
        assertThat(a.search(id, new Filter("small", 10))).as("condition true: cached").isEqualTo(cached);
        assertThat(bean(NODES.b(), Search.class).search(id, new Filter("small", 10))).isEqualTo(cached);
    }

    @Test
    void conditionsReadBeanPropertiesAndCombineParameters() {
        long id = newId();
        Search a = bean(NODES.a(), Search.class);

        String cached = a.premium(id, new Account(true));
        assertThat(a.premium(id, new Account(true))).isEqualTo(cached);
        assertThat(a.premium(id, new Account(false))).as("not premium: uncached").isNotEqualTo(cached);
        String negative = a.premium(-id, new Account(true));
        assertThat(a.premium(-id, new Account(true))).as("id not > 0: uncached").isNotEqualTo(negative);
    }

    @Test
    void aValueThatUnlessKeepsOutIsReturnedAndStoredInNoLayerOnAnyNode() {
        long id = newId();
        Search a = bean(NODES.a(), Search.class);
        Search b = bean(NODES.b(), Search.class);
        CacheStatistics before = statistics(NODES.a(), "conditions");
        int calls = a.calls() + b.calls();

        try (CacheRecording recording = bean(NODES.a(), CacheAdmin.class).startRecording()) {
            assertThat(a.lookup(id, 2, 3)).hasSize(3);
            assertThat(recording.misses("conditions")).containsExactly("lookup-" + id);
            assertThat(recording.writes("conditions")).as("kept out of every layer").isEmpty();
        }
        assertThat(a.lookup(id, 2, 3)).hasSize(3);
        assertThat(b.lookup(id, 2, 3)).hasSize(3);
        assertThat(a.lookup(id, 2, -1)).as("a null result is kept out too").isNull();
        assertThat(a.calls() + b.calls() - calls).as("every call ran the method").isEqualTo(4);
        assertThat(statistics(NODES.a(), "conditions").notCached() - before.notCached()).isEqualTo(3);

        assertThat(a.lookup(id, 5, 1)).hasSize(1);
        assertThat(b.lookup(id, 5, 4)).as("unless false: cached, and found on the other node").hasSize(1);
        assertThat(a.calls() + b.calls() - calls).isEqualTo(5);
    }

    @Test
    void unlessSeesTheContentOfAnOptional() {
        long id = newId();
        Search a = bean(NODES.a(), Search.class);

        assertThat(a.maybe(id, false)).isEmpty();
        String present = a.maybe(id, true).orElseThrow();
        assertThat(a.maybe(id, false)).as("the empty result was not cached; the present one is").contains(present);
    }

    @Test
    void callersThatWaitedForALoadThatUnlessKeepsOutShareItsValue() throws Exception {
        long id = newId();
        Search a = bean(NODES.a(), Search.class);
        int calls = a.calls();
        long waits = statistics(NODES.a(), "conditions").waits();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(callers.submit((Callable<String>) () -> a.slow(id, release)));
            }
            assertThat(eventually(Duration.ofSeconds(10),
                    () -> statistics(NODES.a(), "conditions").waits() - waits == 7 && a.calls() - calls == 1))
                    .as("one caller loads, seven wait for it").isTrue();
            release.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("temporary " + id);
            }
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
        assertThat(a.calls() - calls).as("one load for the callers that came together").isEqualTo(1);
        int afterwards = a.calls();
        a.slow(id, new CountDownLatch(0));
        assertThat(a.calls() - afterwards).as("and nothing was cached for later callers").isEqualTo(1);
    }

    @Test
    void anInvalidationWhoseConditionIsFalseDropsNothing() throws InterruptedException {
        long id = newId();
        Search a = bean(NODES.a(), Search.class);
        Search b = bean(NODES.b(), Search.class);
        String cached = a.premium(id, new Account(true));

        a.update(id, 0);
        assertThat(a.premium(id, new Account(true))).as("result 0: nothing dropped").isEqualTo(cached);

        a.update(id, 2);
        String reloaded = a.premium(id, new Account(true));
        assertThat(reloaded).as("result 2: dropped").isNotEqualTo(cached);
        assertThat(eventually(Duration.ofSeconds(5), () -> !b.premium(id, new Account(true)).equals(cached)))
                .as("and dropped on the other node once its message arrived").isTrue();

        assertThat(catchThrowable(() -> a.update(id, -1))).isInstanceOf(IllegalStateException.class);
        assertThat(a.premium(id, new Account(true))).as("a method that threw invalidates: the condition is not"
                + " asked").isNotEqualTo(reloaded);
    }

    @Test
    void eachInvalidationOfAMethodDecidesByItsOwnCondition() {
        long id = newId();
        Search a = bean(NODES.a(), Search.class);
        String premium = a.premium(id, new Account(true));
        List<String> lookup = a.lookup(id, 5, 1);
        int calls = a.calls();

        a.touch(id, false);
        assertThat(a.premium(id, new Account(true))).isEqualTo(premium);
        assertThat(a.lookup(id, 5, 1)).isEqualTo(lookup);
        assertThat(a.calls() - calls).as("the lookup, whose invalidation has no condition, was dropped").isEqualTo(1);

        a.touch(id, true);
        assertThat(a.premium(id, new Account(true))).isNotEqualTo(premium);
    }

    @Test
    void aConditionThatCannotBeEvaluatedIsAFaultAndTheMethodRunsUncached() {
        long id = newId();
        Search a = bean(NODES.a(), Search.class);
        CacheStatistics before = statistics(NODES.a(), "conditions");

        String first = a.typed(id, Map.of("limit", 3));
        assertThat(a.typed(id, Map.of("limit", 3))).as("a map's entry is a name too: cached").isEqualTo(first);
        String odd = a.typed(id, "no limit here");
        assertThat(odd).as("the result is the method's").startsWith("typed " + id);
        assertThat(a.typed(id, "no limit here")).isNotEqualTo(odd);

        CacheStatistics after = statistics(NODES.a(), "conditions");
        assertThat(after.faults() - before.faults()).isEqualTo(2);
        assertThat(after.uncachedCalls() - before.uncachedCalls()).isEqualTo(2);
    }

    @Dependent
    public static class BadConditions {
        @CachedRead(cache = "conditions", key = "a-{id}", condition = "id >")
        public String syntax(long id) {
            return "";
        }

        @CachedRead(cache = "conditions", key = "b-{id}", condition = "size > 3")
        public String unknownName(long id) {
            return "";
        }

        @CachedRead(cache = "conditions", key = "c-{id}", condition = "result != null")
        public String resultBeforeTheCall(long id) {
            return "";
        }

        @CachedRead(cache = "conditions", key = "d-{ids}", each = "ids", unless = "result == null")
        public Map<Long, String> unlessOnMany(List<Long> ids) {
            return Map.of();
        }

        @CachedRead(cache = "conditions", key = "e-{id}", unless = " ")
        public String blank(long id) {
            return "";
        }

        @CachedRead(cache = "conditions", key = "f-{id}",
                condition = "ids.stream().anyMatch(x -> x > id) and Integer.MAX_VALUE > id")
        public String lambdaAndStaticField(long id, List<Long> ids) {
            return "";
        }

        @Invalidates(cache = "conditions", key = "a-{id}", condition = "result > 0")
        public void voidWithResult(long id) {
        }
    }

    @Test
    void badExpressionsFailTheDeploymentNamingTheMethodAndTheExpression() {
        Throwable failure = catchThrowable(() -> Containers.start(BadConditions.class).close());

        String bad = BadConditions.class.getName();
        assertThat(DefinitionProblemsTest.problemsOf(failure)).satisfiesExactlyInAnyOrder(
                problem -> assertThat(problem).startsWith(bad + "#syntax(long) @CachedRead(cache = \"conditions\","
                        + " key = \"a-{id}\", condition = \"id >\"): condition = \"id >\": not a valid Jakarta EL"
                        + " expression: "),
                problem -> assertThat(problem).isEqualTo(bad + "#unknownName(long) @CachedRead(cache = \"conditions\","
                        + " key = \"b-{id}\", condition = \"size > 3\"): condition = \"size > 3\": unknown name"
                        + " 'size'; the names are the method's parameters (long id)"),
                problem -> assertThat(problem).isEqualTo(bad + "#resultBeforeTheCall(long) @CachedRead(cache ="
                        + " \"conditions\", key = \"c-{id}\", condition = \"result != null\"): condition = \"result"
                        + " != null\": the result is known only after the call; name it in unless, not here"),
                problem -> assertThat(problem).isEqualTo(bad + "#unlessOnMany(List) @CachedRead(cache ="
                        + " \"conditions\", key = \"d-{ids}\", each = \"ids\", unless = \"result == null\"): unless"
                        + " is not available for a read of many keys (each) yet; read one key per call, or leave"
                        + " unless out"),
                problem -> assertThat(problem).isEqualTo(bad + "#blank(long) @CachedRead(cache = \"conditions\","
                        + " key = \"e-{id}\", unless = \" \"): unless = \" \": the expression is blank; write one,"
                        + " such as unless = \"result == null\", or leave the attribute out"),
                problem -> assertThat(problem).isEqualTo(bad + "#voidWithResult(long) @Invalidates(cache ="
                        + " \"conditions\", key = \"a-{id}\", condition = \"result > 0\"): condition = \"result >"
                        + " 0\": the method returns void, so there is no result to name"));
    }
}
