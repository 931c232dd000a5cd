package org.layeredcache.internal.layer;

import org.junit.jupiter.api.Test;
import org.layeredcache.internal.key.CacheKey;

import java.time.Duration;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NearLayerTest {

    private static final Duration TTL = Duration.ofMinutes(1);
    private final NearLayer near = new NearLayer(1_000, 64L << 20, TTL);

    private static CacheKey key(long id) {
        return CacheKey.of("k-{}", id);
    }

    @Test
    void aPublishedValueIsServedUntilItsKeyIsInvalidated() {
        long stamp = near.stamp(key(1));
        near.publish(key(1), "v1", 0, 0, stamp, TTL);
        assertThat(near.get(key(1))).isEqualTo("v1");

        near.invalidate(key(1));

        assertThat(near.get(key(1))).isNull();
    }

    @Test
    void aValueReadBeforeAnInvalidationIsRefused() {
        long stamp = near.stamp(key(1));      // the reader starts reading the layers below
        near.invalidate(key(1));              // the invalidation lands meanwhile

        near.publish(key(1), "old", 0, 0, stamp, TTL);

        assertThat(near.get(key(1))).isNull();
    }

    @Test
    void anInvalidationOfAKeyInAnotherStripeDoesNotRefuseTheValue() {
        long stamp = near.stamp(key(1));
        long other = 2;
        while (stripeMoves(other, key(1))) {
            other++;
        }
        near.invalidate(key(other));

        near.publish(key(1), "v1", 0, 0, stamp, TTL);

        assertThat(near.get(key(1))).isEqualTo("v1");
    }

    private boolean stripeMoves(long candidate, CacheKey watched) {
        NearLayer probe = new NearLayer(10, 64L << 20, TTL);
        long before = probe.stamp(watched);
        probe.invalidate(key(candidate));
        return probe.stamp(watched) != before;
    }

    @Test
    void anEntryLivesNoLongerThanTheShorterOfItsTtlAndTheNearTtl() throws InterruptedException {
        NearLayer shortLived = new NearLayer(100, 64L << 20, Duration.ofMillis(100));
        long published = System.nanoTime();
        shortLived.publish(key(1), "capped by the near TTL", 0, 0, shortLived.stamp(key(1)), Duration.ofHours(1));
        near.publish(key(2), "capped by its own TTL", 0, 0, near.stamp(key(2)), Duration.ofMillis(100));

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> shortLived.get(key(1)) == null && near.get(key(2)) == null);
        assertThat(Duration.ofNanos(System.nanoTime() - published)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aCopyIsDueForRenewalInTheLastFifthOfItsLifeOnly() {
        long before = System.nanoTime();
        near.publish(key(1), "v", 0, 0, near.stamp(key(1)), Duration.ofSeconds(10));
        long after = System.nanoTime();
        NearLayer.Entry entry = near.entry(key(1));

        assertThat(entry.dueForRenewal()).as("a fresh copy").isFalse();
        assertThat(entry.deadline() - entry.renewAt()).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(entry.deadline()).isBetween(before + Duration.ofSeconds(10).toNanos(),
                after + Duration.ofSeconds(10).toNanos());
    }

    @Test
    void theLayerIsBounded() {
        for (long id = 0; id < 5_000; id++) {
            near.publish(key(id), "v", 0, 0, near.stamp(key(id)), TTL);
        }

        assertThat(near.size()).isLessThanOrEqualTo(1_000);
    }

    /**
     * The publish and the invalidation race on two threads, round after round; every round the reader's stamp
     * predates the invalidation. Whichever order the two take, the old value must not stay, and the invalidating
     * thread must not see it even for an instant right after its invalidation returned.
     */
    @Test
    void underRacingPublishAndInvalidationTheOldValueIsNeverSeenAfterTheInvalidation() throws Exception {
        int rounds = 20_000;
        Phaser phases = new Phaser(3);
        AtomicLong stamp = new AtomicLong();
        AtomicLong seenRightAfter = new AtomicLong();
        CacheKey key = key(42);
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                phases.arriveAndAwaitAdvance();
                near.publish(key, "old " + i, 0, 0, stamp.get(), TTL);
                phases.arriveAndAwaitAdvance();
            }
        });
        Thread invalidator = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                phases.arriveAndAwaitAdvance();
                near.invalidate(key);
                if (near.get(key) != null) {
                    seenRightAfter.incrementAndGet();
                }
                phases.arriveAndAwaitAdvance();
            }
        });
        publisher.start();
        invalidator.start();
        int stayed = 0;
        for (int i = 0; i < rounds; i++) {
            stamp.set(near.stamp(key));
            phases.arriveAndAwaitAdvance();          // both go
            phases.arriveAndAwaitAdvance();          // both done
            if (near.get(key) != null) {
                stayed++;
            }
        }
        publisher.join(TimeUnit.SECONDS.toMillis(30));
        invalidator.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(stayed).isZero();
        assertThat(seenRightAfter.get()).isZero();
    }
}
