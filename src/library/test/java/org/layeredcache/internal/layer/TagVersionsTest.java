package org.layeredcache.internal.layer;

import com.hazelcast.map.IMap;
import org.junit.jupiter.api.Test;
import org.layeredcache.internal.stats.CacheCounters;
import org.layeredcache.internal.stats.CacheObserver;
import org.layeredcache.testing.EmbeddedHazelcast;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes' views of the tags' versions, sharing one cluster map, with no message between them: what a node
 * knows without the message, and what the cluster tells a load before it publishes.
 */
class TagVersionsTest {

    private static final Duration SEEN_FOR = Duration.ofMillis(500);
    private final CacheCounters counters = new CacheCounters("tag-versions-test", () -> CacheObserver.NONE);
    private final String tag = "service-" + UUID.randomUUID();

    private TagVersions node() {
        IMap<String, Long> map = EmbeddedHazelcast.shared().getMap(TagVersions.mapName());
        return TagVersions.shared(() -> map, SEEN_FOR, Duration.ofSeconds(5));
    }

    @Test
    void aLoadAsksTheClusterWhetherATagChangedBeforeThisNodeHeardOfIt() {
        TagVersions a = node();
        TagVersions b = node();
        String[] tags = {tag};
        Object loadedOnB = TagVersions.tag("old", tags, b.versions(tags, counters));
        assertThat(b.current(loadedOnB, counters)).isTrue();

        Map<String, Long> invalidated = a.invalidate(List.of(tag), counters);    // its message is not delivered

        assertThat(a.current(loadedOnB, counters)).as("the writing node knows at once").isFalse();
        assertThat(b.currentInCluster(loadedOnB, counters)).as("the cluster knows at once").isFalse();
        assertThat(b.staleInCluster(Map.of("key", loadedOnB), counters)).containsExactly("key");
        assertThat(b.current(loadedOnB, counters)).as("B's own view, until the message or the TTL").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.current(loadedOnB, counters));

        TagVersions c = node();
        Object loadedOnC = TagVersions.tag("old", tags, c.versions(tags, counters));
        c.received(Map.of(tag, invalidated.get(tag) + 1));                      // a later invalidation's message
        assertThat(c.current(loadedOnC, counters)).as("the message alone is enough").isFalse();
        assertThat(c.current("untagged", counters)).isTrue();
    }
}
