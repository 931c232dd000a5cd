package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.testing.InProcessNodes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Nodes.bean;

/**
 * The stale-set race, forced: a load reads the old row, an invalidation lands, then the load finishes. The load's
 * caller gets what it read, but the old value must reach no layer on any node.
 */
class StaleSetRaceTest {

    @ApplicationScoped
    public static class Rows {
        private final Map<Long, String> rows = new ConcurrentHashMap<>();
        private volatile CountDownLatch readDone;
        private volatile CountDownLatch mayFinish;

        /** Makes the next load pause right after it has read the row. */
        void pauseNextLoad(CountDownLatch readDone, CountDownLatch mayFinish) {
            this.readDone = readDone;
            this.mayFinish = mayFinish;
        }

        @CachedRead(cache = "race", key = "row-{id}")
        public String find(long id) throws InterruptedException {
            String row = rows.getOrDefault(id, "old");
            CountDownLatch paused = mayFinish;
            if (paused != null) {
                mayFinish = null;
                readDone.countDown();
                assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();
            }
            return row;
        }

        @Invalidates(cache = "race", key = "row-{id}")
        public void write(long id, String value) {
            rows.put(id, value);
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Rows.class);
    private static final ExecutorService LOADER = Executors.newSingleThreadExecutor();

    @AfterAll
    static void stopLoader() {
        LOADER.shutdownNow();
    }

    @Test
    void aLoadThatOverlapsAnInvalidationPublishesNothing() throws Exception {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        Rows a = bean(NODES.a(), Rows.class);
        Rows b = bean(NODES.b(), Rows.class);
        CountDownLatch readDone = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        a.pauseNextLoad(readDone, mayFinish);

        Future<String> slowLoad = LOADER.submit(() -> a.find(id));     // reads "old", then pauses
        assertThat(readDone.await(10, TimeUnit.SECONDS)).isTrue();
        a.write(id, "new");                                            // commits and invalidates meanwhile
        b.write(id, "new");                                            // (each node has its own pretend rows)
        mayFinish.countDown();

        assertThat(slowLoad.get(10, TimeUnit.SECONDS)).as("its own caller gets what it read").isEqualTo("old");
        assertThat(a.find(id)).as("node A's layers").isEqualTo("new");
        assertThat(b.find(id)).as("the cluster layer, seen from node B").isEqualTo("new");
    }
}
