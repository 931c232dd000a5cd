package org.layeredcache.internal.audit;

import org.layeredcache.internal.cluster.ClusterCodec;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.NearLayer;
import org.layeredcache.internal.layer.Tagged;
import org.layeredcache.internal.stats.AuditFigures.Layer;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The copies of one key's entry that the layers hold at one moment (this node's near layer, the cluster layer),
 * current ones only (an entry one of whose tags was invalidated is no copy), each with when it was written; and
 * how they compare with what the method answers now. Immutable.
 */
final class CachedCopies {

    /** One layer's copy: its stored form, when written, and what identifies this very entry. */
    record Copy(Object stored, long writtenAt, Object identity) {
    }

    private final Map<Layer, Copy> copies;

    private CachedCopies(Map<Layer, Copy> copies) {
        this.copies = copies;
    }

    /** What the layers of {@code layers} hold for {@code key} now; loads nothing. */
    static CachedCopies of(Layers layers, CacheKey key) {
        Map<Layer, Copy> copies = new EnumMap<>(Layer.class);
        NearLayer.Entry near = layers.nearNow().entry(key);
        if (near != null && layers.current(near.value())) {
            copies.put(Layer.NEAR, new Copy(near.value(), near.writtenAt(), near));
        }
        GuardedCluster.Reached<ClusterLayer.Entry> found = layers.cluster().get(key);
        ClusterLayer.Entry cluster = found.reached() ? found.value() : null;
        if (cluster != null && !cluster.isClaim() && layers.current(cluster.value())) {
            copies.put(Layer.CLUSTER, new Copy(cluster.value(), cluster.writtenAt(), new RawEntry(cluster.raw())));
        }
        return new CachedCopies(copies);
    }

    boolean none() {
        return copies.isEmpty();
    }

    /** The layers that hold a copy. */
    List<Layer> layers() {
        return new ArrayList<>(copies.keySet());
    }

    Copy copy(Layer layer) {
        return copies.get(layer);
    }

    /** The layers whose copy differs from {@code fresh}, the stored form of what the method answers now. */
    List<Layer> differing(Object fresh) {
        List<Layer> differing = new ArrayList<>();
        copies.forEach((layer, copy) -> {
            if (!same(copy.stored(), fresh)) {
                differing.add(layer);
            }
        });
        return differing;
    }

    /** Whether {@code layer} still holds the very entry it held in {@code earlier} (not dropped, not replaced). */
    boolean stillHolds(Layer layer, CachedCopies earlier) {
        Copy now = copies.get(layer);
        Copy then = earlier.copies.get(layer);
        return now != null && then != null && now.identity().equals(then.identity());
    }

    /**
     * Whether two stored forms hold the same value: equal, or (for a type that does not define {@code equals}, such
     * as an entity) the same serialized form. Tags are left out: only the value is compared.
     */
    static boolean same(Object cached, Object fresh) {
        Object a = Tagged.untagged(cached);
        Object b = Tagged.untagged(fresh);
        if (Objects.equals(a, b)) {
            return true;
        }
        try {
            return Arrays.equals(ClusterCodec.value(a, Integer.MAX_VALUE, 0), ClusterCodec.value(b, Integer.MAX_VALUE,
                    0));
        } catch (UncheckedIOException | IllegalArgumentException notSerializable) {
            return false;
        }
    }

    /** A cluster entry as written: the same bytes are the same entry (its write time is part of them). */
    private record RawEntry(byte[] raw) {
        @Override
        public boolean equals(Object other) {
            return other instanceof RawEntry that && Arrays.equals(raw, that.raw);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(raw);
        }
    }
}
