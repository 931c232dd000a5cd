package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.Counter;
import org.layeredcache.testing.InProcessNodes;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.layeredcache.testing.Containers.inRequest;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.statistics;
import static org.layeredcache.testing.StatisticsAssert.assertThatChange;

/** Fail-safe: once a method starts failing, an entry past its TTL (within staleIfError) stands in for it. */
class StaleIfErrorTest {

    @ApplicationScoped
    public static class Rates {
        private final Counter loads = new Counter();
        private volatile boolean down;

        void databaseDown(boolean down) {
            this.down = down;
        }

        private String load(long id) {
            int load = loads.next();
            if (down) {
                throw new IllegalStateException("the rates service is down");
            }
            return "rate " + id + " load " + load;
        }

        @CachedRead(cache = "fail-safe", key = "rate-{id}", ttl = "1s", staleIfError = "1m")
        public String rate(long id) {
            return load(id);
        }

        @CachedRead(cache = "no-fail-safe", key = "rate-{id}", ttl = "1s")
        public String rateWithoutFailSafe(long id) {
            return load(id);
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Rates.class);


    /** Waits until an entry published by {@code publishedBy} (epoch ms) is past its TTL of 1s. */
    private static void awaitExpiry(long publishedBy) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> System.currentTimeMillis() - publishedBy > 1_050);
    }

    @Test
    void aFailingLoadGetsTheExpiredValueOnEveryNodeAndAFreshOneOnceItRecovers() throws Exception {
        Rates a = bean(NODES.a(), Rates.class);
        Rates b = bean(NODES.b(), Rates.class);
        long id = newId();
        String cached = a.rate(id);
        awaitExpiry(System.currentTimeMillis());               // published when the call returned
        a.databaseDown(true);
        b.databaseDown(true);
        CacheStatistics beforeA = statistics(NODES.a(), "fail-safe");
        CacheStatistics beforeB = statistics(NODES.b(), "fail-safe");

        assertThat(inRequest(NODES.a(), () -> a.rate(id))).isEqualTo(cached);
        assertThat(inRequest(NODES.b(), () -> b.rate(id))).as("the entry went back for the next one")
                .isEqualTo(cached);
        assertThatThrownBy(() -> a.rate(newId())).as("nothing to stand in: the exception reaches the caller")
                .hasMessageContaining("down");

        assertThatChange(beforeA, statistics(NODES.a(), "fail-safe")).staleServed(1).loads(2).faults(0);
        assertThatChange(beforeB, statistics(NODES.b(), "fail-safe")).staleServed(1).loads(1);

        a.databaseDown(false);
        String fresh = inRequest(NODES.a(), () -> a.rate(id));
        assertThat(fresh).isNotEqualTo(cached);
        assertThat(inRequest(NODES.b(), () -> b.rate(id))).as("published as usual").isEqualTo(fresh);
    }

    @Test
    void withoutStaleIfErrorTheExceptionReachesTheCaller() {
        Rates a = bean(NODES.a(), Rates.class);
        long id = newId();
        a.rateWithoutFailSafe(id);
        awaitExpiry(System.currentTimeMillis());
        a.databaseDown(true);
        try {
            assertThatThrownBy(() -> a.rateWithoutFailSafe(id)).hasMessageContaining("down");
        } finally {
            a.databaseDown(false);
        }
    }
}
