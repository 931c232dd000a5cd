package org.layeredcache.internal.load;

import org.layeredcache.internal.cluster.Reservation;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.TagVersions;

import java.time.Duration;

/**
 * How a finished load publishes its value, written once for the reads of one key and of many: into the cluster
 * layer only by replacing exactly its own claim, and only within the size limit; into the near layer only if no
 * invalidation of the key came since the load took the near stamp; a claim that is not replaced is given up. A
 * refresh publishes under the same rules, replacing exactly the entry it found old instead of a claim.
 * Thread-safe.
 */
public final class Publication {

    /**
     * What a load needs to publish its value later.
     *
     * @param withNear       whether the near layer was in use when the load started ({@code stamp} is its stamp)
     * @param reservation    the load's claim in the cluster, or {@code null} when another load held the key
     * @param withoutCluster the cluster was off or not reached: the value goes to the near layer only
     * @param expired        the entry past its TTL the claim replaced, or {@code null}
     */
    public record Load(CacheKey key, boolean withNear, long stamp, Duration ttl, Reservation reservation,
                boolean withoutCluster, ClusterLayer.Entry expired) {
    }

    private final Layers layers;
    private final int maxValueSize;

    public Publication(Layers layers, int maxValueSize) {
        this.layers = layers;
        this.maxValueSize = maxValueSize;
    }

    /**
     * After the load's transaction committed: into the cluster layer (to live {@code kept}) if the claim still
     * holds, then near.
     *
     * @return whether the value may be handed to the load's waiters: no invalidation of the key came in between
     */
    public boolean publish(Load load, Object stored, Duration kept) {
        byte[] entry = load.reservation() == null || load.withoutCluster() ? null
                : layers.cluster().encode(load.key(), stored);
        boolean fits = fits(load.key(), entry);
        TagVersions.Check check = layers.askCurrentInCluster(stored);       // travels with the write
        GuardedCluster.Reached<Boolean> published = fits
                ? layers.cluster().publish(load.key(), load.reservation(), entry, kept)
                : GuardedCluster.Reached.not();
        ClusterOutcome outcome = clusterOutcome(load, entry, fits, published);
        if (!stillCurrent(load.key(), check, outcome)) {
            return false;
        }
        return publishNear(load, stored, outcome);
    }

    /**
     * A tag invalidated while the load ran: what was written is taken back, and the value goes neither to the near
     * layer nor to the load's waiters. The question ({@code check}) is sent with the write, not after it, so it
     * costs no round trip of its own; an invalidation that lands between the two is still never served, since the
     * entry carries its tags' old versions and every read compares them.
     */
    public boolean stillCurrent(CacheKey key, TagVersions.Check check, ClusterOutcome outcome) {
        if (check.current(layers.counters())) {
            return true;
        }
        if (outcome.written()) {
            layers.cluster().invalidate(key);
        }
        return false;
    }

    /** Whether an encoded entry may go to the cluster: it exists and is within the size limit (else counted). */
    public boolean fits(CacheKey key, byte[] entry) {
        if (entry != null && entry.length > maxValueSize) {
            layers.counters().oversized(key, entry.length, maxValueSize);
            return false;
        }
        return entry != null;
    }

    /**
     * What the cluster's part of a publication gave.
     *
     * @param current   no other load's value or invalidation took the key's place (the near layer may take it)
     * @param written   the value was written to the cluster
     * @param claimless another load held the key, whose value will be the one published
     * @param bytes     the value's encoded size, 0 when unknown
     */
    public record ClusterOutcome(boolean current, boolean written, boolean claimless, int bytes) {
    }

    /**
     * The cluster's part of a load's publication, from the attempt to replace its claim by {@code entry}
     * ({@code null}: the value could not be encoded; {@code fits} false: nothing was written, the claim is given
     * up).
     */
    public ClusterOutcome clusterOutcome(Load load, byte[] entry, boolean fits, GuardedCluster.Reached<Boolean> published) {
        if (load.withoutCluster()) {
            return new ClusterOutcome(true, false, false, 0);
        }
        if (load.reservation() == null) {
            return new ClusterOutcome(false, false, true, 0);
        }
        int bytes = entry == null ? 0 : entry.length;
        if (!fits || !published.reached()) {
            release(load);
            return new ClusterOutcome(true, false, false, bytes);
        }
        if (published.value()) {
            return new ClusterOutcome(true, true, false, bytes);
        }
        layers.cluster().removeLeftClaim(load.key(), load.reservation());
        return new ClusterOutcome(false, false, false, bytes);
    }

    /** The near layer's part of a publication; whether the value may be handed to the load's waiters. */
    public boolean publishNear(Load load, Object stored, ClusterOutcome outcome) {
        boolean written = outcome.written();
        boolean nearCurrent = !load.withNear() || layers.near().stamp(load.key()) == load.stamp();
        if (load.withNear() && outcome.current()) {
            nearCurrent = layers.near().publish(load.key(), stored, outcome.bytes(), System.currentTimeMillis(), load.stamp(),
                    load.ttl());
            written |= nearCurrent;
        }
        if (written && layers.recordings().active()) {
            layers.recordings().write(layers.cache(), load.key());
        }
        return (outcome.current() || outcome.claimless()) && nearCurrent;
    }

    /**
     * A refresh's value, after its transaction committed: into the cluster layer only by replacing exactly the
     * entry the refresh found old ({@code null}: the cluster was not reached then, so near only), within the size
     * limit; an invalidation, a load or another refresh in between wins and the value is dropped. Into the near
     * layer under its stamp, as a load's.
     */
    public void publishReplacing(CacheKey key, ClusterLayer.Entry old, Object stored, long stamp, Duration ttl,
                                 Duration kept) {
        if (old == null && !layers.currentInCluster(stored)) {
            return;                                      // near only: a tag was invalidated while it reloaded
        }
        int bytes = 0;
        if (old != null) {
            byte[] entry = layers.cluster().encode(key, stored);
            if (!fits(key, entry)) {
                return;
            }
            TagVersions.Check check = layers.askCurrentInCluster(stored);   // travels with the write
            GuardedCluster.Reached<Boolean> replaced = layers.cluster().replace(key, old, entry, kept);
            if (!replaced.reached() || !replaced.value()) {
                return;
            }
            bytes = entry.length;
            if (!stillCurrent(key, check, new ClusterOutcome(true, true, false, bytes))) {
                return;
            }
        }
        layers.nearNow().publish(key, stored, bytes, System.currentTimeMillis(), stamp, ttl);
        if (layers.recordings().active()) {
            layers.recordings().write(layers.cache(), key);
        }
    }

    /** Gives the load's claim up (its value is not published there). */
    public void release(Load load) {
        if (load.reservation() != null && !load.withoutCluster()) {
            layers.cluster().release(load.key(), load.reservation());
        }
    }
}
