package org.layeredcache.internal.layer;

import com.hazelcast.map.IMap;
import org.layeredcache.internal.cluster.Answers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The tags' versions as the cluster keeps them: a Hazelcast map of tag to version, obtained on first use, every
 * operation asynchronous and waited for within the cluster timeout; many tags are asked or written all at once.
 * Thread-safe.
 */
final class ClusterTagVersions implements TagVersions.Shared {

    private final Supplier<IMap<String, Long>> map;
    private final long millis;
    private volatile IMap<String, Long> versions;

    ClusterTagVersions(Supplier<IMap<String, Long>> map, Duration timeout) {
        this.map = map;
        this.millis = Math.max(1, timeout.toMillis());
    }

    private IMap<String, Long> versions() {
        IMap<String, Long> found = versions;
        if (found == null) {
            found = map.get();
            versions = found;
        }
        return found;
    }

    /** A failure to even send the question (the map cannot be obtained, say) is answered as a failed future. */
    @Override
    public CompletableFuture<Long> getLater(String tag) {
        try {
            return Answers.of(versions().getAsync(tag))
                    .thenApply(version -> version == null ? TagVersions.NEVER_INVALIDATED : version);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public long timeoutMillis() {
        return millis;
    }

    @Override
    public CompletableFuture<Map<String, Long>> getAllLater(Set<String> tags) {
        Map<String, CompletableFuture<Long>> asked = new HashMap<>();
        for (String tag : tags) {                                   // all sent at once: one round trip's wait
            asked.put(tag, getLater(tag));
        }
        return CompletableFuture.allOf(asked.values().toArray(new CompletableFuture<?>[0])).thenApply(all -> {
            Map<String, Long> found = new HashMap<>();
            asked.forEach((tag, version) -> found.put(tag, version.join()));
            return found;
        });
    }

    @Override
    public void setAll(Map<String, Long> changed) throws Exception {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        changed.forEach((tag, version) -> sent.add(Answers.of(versions().setAsync(tag, version))));
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(millis, TimeUnit.MILLISECONDS);
    }
}
