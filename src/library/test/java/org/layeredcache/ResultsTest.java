package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.Counter;
import org.layeredcache.testing.InProcessNodes;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;

/** What is cached: null and empty results are, exceptions are not. */
class ResultsTest {

    static final IllegalStateException BROKEN = new IllegalStateException("broken on purpose");

    @ApplicationScoped
    public static class Finder {
        private final Counter calls = new Counter();
        private final AtomicInteger failuresLeft = new AtomicInteger();

        public int calls() {
            return calls.count();
        }

        public void failNext(int times) {
            failuresLeft.set(times);
        }

        @CachedRead(cache = "results", key = "nothing-{id}")
        public String nothing(long id) {
            calls.next();
            return null;
        }

        @CachedRead(cache = "results", key = "maybe-{id}")
        public Optional<String> maybe(long id, boolean present) {
            calls.next();
            return present ? Optional.of("found " + id) : Optional.empty();
        }

        @CachedRead(cache = "results", key = "failing-{id}")
        public String failing(long id) {
            calls.next();
            throw BROKEN;
        }

        @CachedRead(cache = "results", key = "checked-{id}")
        public String checked(long id) throws IOException {
            calls.next();
            throw new IOException("disk " + id);
        }

        @CachedRead(cache = "results", key = "flaky-{id}")
        public String flaky(long id) {
            calls.next();
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("flaky");
            }
            return "value " + id;
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Finder.class);


    @Test
    void nullIsCachedAndServedByEveryLayerIncludingTheCluster() {
        long id = newId();
        Finder a = bean(NODES.a(), Finder.class);
        Finder b = bean(NODES.b(), Finder.class);
        int before = a.calls() + b.calls();

        assertThat(a.nothing(id)).isNull();
        assertThat(a.nothing(id)).isNull();
        assertThat(b.nothing(id)).isNull();

        assertThat(a.calls() + b.calls() - before).isEqualTo(1);
    }

    @Test
    void emptyAndPresentOptionalsAreCachedAndComeBackAsOptionals() {
        long empty = newId();
        long present = newId();
        Finder a = bean(NODES.a(), Finder.class);
        Finder b = bean(NODES.b(), Finder.class);
        int before = a.calls() + b.calls();

        assertThat(a.maybe(empty, false)).isEmpty();
        assertThat(b.maybe(empty, true)).as("the key ignores 'present'; the cached emptiness wins").isEmpty();
        assertThat(a.maybe(present, true)).contains("found " + present);
        assertThat(b.maybe(present, true)).contains("found " + present);

        assertThat(a.calls() + b.calls() - before).isEqualTo(2);
    }

    @Test
    void exceptionsAreNeverCachedAndReachTheCallerUnchanged() {
        long id = newId();
        Finder a = bean(NODES.a(), Finder.class);
        int before = a.calls();

        assertThat(catchThrowable(() -> a.failing(id))).isSameAs(BROKEN);
        assertThat(catchThrowable(() -> a.failing(id))).isSameAs(BROKEN);
        assertThat(catchThrowable(() -> a.checked(id))).isInstanceOf(IOException.class).hasMessage("disk " + id);

        assertThat(a.calls() - before).isEqualTo(3);
    }

    @Test
    void aFailedLoadLeavesTheKeyFreeForTheNextLoadToPublish() {
        long id = newId();
        Finder a = bean(NODES.a(), Finder.class);
        Finder b = bean(NODES.b(), Finder.class);
        a.failNext(1);
        int before = a.calls() + b.calls();

        assertThat(catchThrowable(() -> a.flaky(id))).hasMessage("flaky");
        assertThat(a.flaky(id)).isEqualTo("value " + id);
        assertThat(b.flaky(id)).as("published to the cluster, so B does not load").isEqualTo("value " + id);

        assertThat(a.calls() + b.calls() - before).isEqualTo(2);
    }
}
