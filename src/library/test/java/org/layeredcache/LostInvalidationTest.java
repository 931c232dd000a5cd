package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.testing.InProcessNodes;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.layeredcache.testing.Ids.newId;
import static org.layeredcache.testing.Nodes.bean;
import static org.layeredcache.testing.Nodes.eventually;
import static org.layeredcache.testing.Nodes.statistics;

/**
 * An invalidation message that never arrives is noticed by its number, with the sender's next message: the receiving
 * node drops its near layers then, not after the near TTL (30 s). The in-process nodes share one Hazelcast member,
 * which sends no heartbeats (nobody else to hear them); the three-node test finds a loss at the end of a quiet period
 * by the heartbeat. No transaction here: at once.
 */
class LostInvalidationTest {

    /** A pretend database: every read returns the row's current version. */
    @ApplicationScoped
    public static class Rows {
        private static final Map<Long, Long> rows = new ConcurrentHashMap<>();     // one database for both nodes

        @CachedRead(cache = "lost", key = "row-{id}")
        public String row(long id) {
            return "row-" + id + " v" + rows.getOrDefault(id, 0L);
        }

        @CachedRead(cache = "lost-tagged", key = "tagged-{id}", tags = "row-{id}")
        public String tagged(long id) {
            return "tagged-" + id + " v" + rows.getOrDefault(id, 0L);
        }

        @Invalidates(cache = "lost", key = "row-{id}")
        public void update(long id) {
            rows.merge(id, 1L, Long::sum);
        }

        @Invalidates(tags = "row-{id}")
        public void updateTagged(long id) {
            rows.merge(id, 1L, Long::sum);
        }

        /** Any other invalidation: the sender's next message. */
        @Invalidates(cache = "lost", key = "row-{id}")
        public void touch(long id) {
        }
    }

    @RegisterExtension
    static final InProcessNodes NODES = InProcessNodes.of(2, Rows.class);

    /** Well under the near TTL (30 s): only the loss being noticed can make the other node read the new row. */
    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(5);

    /**
     * B hears a message of A, and so knows A's number: a node trusts the number a node that started before it
     * comes with, and in a real cluster a heartbeat tells it within a second. The in-process nodes share one
     * member, which sends no heartbeats, and whether A's caches started before B's depends on which node was used
     * first: a message it sends tells B for sure.
     */
    private static void bKnowsTheNumberOfA() throws InterruptedException {
        long heard = statistics(NODES.b(), "lost").invalidationsReceived();
        bean(NODES.a(), Rows.class).touch(newId());
        assertThat(eventually(NOTICED_WITHIN, () -> statistics(NODES.b(), "lost").invalidationsReceived() > heard))
                .as("B heard A's message").isTrue();
    }

    @Test
    void aLostKeyInvalidationIsNoticedWithTheSendersNextMessageAndTheNearLayerDropped() throws Exception {
        Rows a = bean(NODES.a(), Rows.class);
        Rows b = bean(NODES.b(), Rows.class);
        long id = newId();
        bKnowsTheNumberOfA();
        assertThat(b.row(id)).endsWith(" v0");                               // in B's near layer now
        long before = statistics(NODES.b(), "lost").nearDroppedForLostMessages();
        assertThat(bean(NODES.b(), CacheRegistry.class).dropReceivedInvalidations(1)).isTrue();

        a.update(id);                                                        // its message never reaches B
        a.touch(newId());

        assertThat(eventually(NOTICED_WITHIN, () -> b.row(id).endsWith(" v1")))
                .as("B noticed the lost message and dropped its near layer").isTrue();
        assertThat(statistics(NODES.b(), "lost").nearDroppedForLostMessages()).isGreaterThan(before);
    }

    /**
     * A message in the form of the previous version (node id, then the kind at once): a node of another version
     * during a rolling upgrade. It cannot be read, so it counts as lost: the near layers are dropped.
     */
    @Test
    void aMessageOfAnotherFormCountsAsLost() throws Exception {
        Rows b = bean(NODES.b(), Rows.class);
        long id = newId();
        assertThat(b.row(id)).endsWith(" v0");
        assertThat(b.row(id)).endsWith(" v0");                               // a near hit now
        long before = statistics(NODES.b(), "lost").nearDroppedForLostMessages();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            java.util.UUID sender = java.util.UUID.randomUUID();
            out.writeLong(sender.getMostSignificantBits());
            out.writeLong(sender.getLeastSignificantBits());
            out.writeByte('I');
            out.writeUTF("lost");
            out.writeBoolean(false);
        }
        org.layeredcache.testing.EmbeddedHazelcast.shared().<byte[]>getTopic("layered-cache-invalidations")
                .publish(bytes.toByteArray());

        assertThat(eventually(NOTICED_WITHIN,
                () -> statistics(NODES.b(), "lost").nearDroppedForLostMessages() > before))
                .as("counted as lost").isTrue();
        long nearHits = statistics(NODES.b(), "lost").nearHits();
        assertThat(b.row(id)).endsWith(" v0");
        assertThat(statistics(NODES.b(), "lost").nearHits()).as("B dropped its near copy").isEqualTo(nearHits);
    }

    @Test
    void aLostTagInvalidationIsNoticedAndTheTagsVersionReadAgain() throws Exception {
        Rows a = bean(NODES.a(), Rows.class);
        Rows b = bean(NODES.b(), Rows.class);
        long id = newId();
        bKnowsTheNumberOfA();
        assertThat(b.tagged(id)).endsWith(" v0");
        assertThat(b.tagged(id)).endsWith(" v0");                            // a near hit: the tag's version is known
        assertThat(bean(NODES.b(), CacheRegistry.class).dropReceivedInvalidations(1)).isTrue();

        a.updateTagged(id);                                                  // the new version never reaches B
        a.touch(newId());

        assertThat(eventually(NOTICED_WITHIN, () -> b.tagged(id).endsWith(" v1")))
                .as("B noticed the lost message and read the tag's version again").isTrue();
    }
}
