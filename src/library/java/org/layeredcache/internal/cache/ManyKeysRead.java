package org.layeredcache.internal.cache;

import org.layeredcache.internal.cluster.Reservation;
import org.layeredcache.internal.config.CacheSettings;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.ClusterLayer;
import org.layeredcache.internal.layer.EntityDependencies;
import org.layeredcache.internal.layer.GuardedCluster;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.NearLayer;
import org.layeredcache.internal.layer.NullValue;
import org.layeredcache.internal.layer.RequestEntries;
import org.layeredcache.internal.layer.TagVersions;
import org.layeredcache.internal.load.BulkLoader;
import org.layeredcache.internal.load.NearRenewal;
import org.layeredcache.internal.load.Publication;
import org.layeredcache.internal.load.SingleFlight;
import org.layeredcache.internal.load.StaleIfError;
import org.layeredcache.internal.stats.CacheCounters;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads of many keys of one cache at once ({@code @CachedRead(each)}): each layer asked once for all the keys it
 * is asked for, one call of the loader for what no layer has, every key under the rules of a read of one key
 * ({@link Publication}, {@link SingleFlight}). Thread-safe.
 */
final class ManyKeysRead {

    private final CacheSettings settings;
    private final Layers layers;
    private final CacheCounters counters;
    private final SingleFlight flights;
    private final Publication publication;
    private final NearRenewal nearRenewal;

    /** A cache's parts, shared with its read of one key. */
    ManyKeysRead(CacheSettings settings, Layers layers, SingleFlight flights, Publication publication,
                 NearRenewal nearRenewal) {
        this.settings = settings;
        this.layers = layers;
        this.counters = layers.counters();
        this.flights = flights;
        this.publication = publication;
        this.nearRenewal = nearRenewal;
    }

    /**
     * The stored forms of many keys' values ({@link NullValue} for nothing), each from the first layer that has it;
     * the keys that no layer has are loaded by one call of {@code loader}. Each layer is asked once for all the
     * keys it is asked for: the request's entries, one near multi-get, one pipelined round of cluster gets (and
     * one of claims for the missing keys). Every key follows the rules of {@link LayeredCache#read}: a load
     * publishes after its transaction commits, only over its own claim and near stamp; loads of the same keys
     * already running on this node are waited for (within {@code load.wait}) before this read claims anything, so
     * two reads of many keys never wait for each other; keys another node is loading are loaded here too and not
     * published.
     *
     * @param keys     distinct keys, in any order
     * @param tracking whether the JPA entities the loader's one call reads become tags of every entry it loaded
     *                 (it cannot tell which element was built from which entity)
     * @return every key's stored form
     * @throws Exception whatever the loader (or a load this read waited for) throws, unchanged
     */
    Map<CacheKey, Object> read(RequestEntries request, Collection<CacheKey> keys, Function<CacheKey, String[]> tags,
                               boolean tracking, EntryTimes times, BulkLoader loader) throws Exception {
        Map<CacheKey, Object> found = new HashMap<>();
        List<CacheKey> missing = new ArrayList<>();
        boolean recording = layers.recordings().active();
        for (CacheKey key : keys) {
            if (recording) {
                layers.recordings().read(settings.cache(), key);
            }
            Object stored = request.get(key);
            if (stored != null) {
                counters.requestHit();
                found.put(key, stored);
            } else {
                missing.add(key);
            }
        }
        NearLayer near = layers.nearNow();
        Map<CacheKey, Long> stamps = new HashMap<>();
        if (near.present() && !missing.isEmpty()) {
            for (CacheKey key : missing) {
                stamps.put(key, near.stamp(key));
            }
            EntryTimes resolved = settings.resolve(times);
            near.entries(missing).forEach((key, entry) -> {
                if (!layers.current(entry.value())) {
                    return;                        // a tag of it was invalidated: a miss
                }
                counters.nearHit();
                nearRenewal.ifDue(key, resolved, entry);
                request.remember(key, entry.value());
                found.put(key, entry.value());
            });
            missing.removeIf(found::containsKey);
        }
        long deadline = System.nanoTime() + settings.loadWait().toNanos();
        for (Iterator<CacheKey> pending = missing.iterator(); pending.hasNext(); ) {
            CacheKey key = pending.next();
            SingleFlight.Flight other = flights.othersFlight(key);
            if (other == null) {
                continue;
            }
            SingleFlight.Waited waited = SingleFlight.await(other, deadline, counters);
            if (waited.got()) {
                request.remember(key, waited.stored());
                found.put(key, waited.stored());
                pending.remove();
            }                                      // else loaded by this read below
        }
        if (missing.isEmpty()) {
            return found;
        }
        Map<CacheKey, SingleFlight.Flight> led = new HashMap<>();
        for (CacheKey key : missing) {
            SingleFlight.Joined joined = flights.join(key);
            if (joined.leads()) {
                led.put(key, joined.flight());
            }
        }
        try {
            return loadAll(new ManyKeys(request, missing, tags, tracking, settings.resolve(times), stamps, led,
                            near.present()),
                    loader, found);
        } catch (Exception | Error failure) {
            led.forEach((key, flight) -> flights.land(key, flight, SingleFlight.Outcome.RETRY));
            throw failure;
        }
    }

    /** The tags of each key's load, rendered, and their versions asked, all before any answer is awaited. */
    private Map<CacheKey, TagVersions.Asked> ask(ManyKeys read, List<CacheKey> keys) {
        Map<CacheKey, TagVersions.Asked> asked = new HashMap<>();
        for (CacheKey key : keys) {
            asked.put(key, layers.ask(layers.rendered(() -> read.tags().apply(key))));
        }
        return asked;
    }

    /** The cluster's part of a read of many keys, then one call of the loader for what is still missing. */
    private Map<CacheKey, Object> loadAll(ManyKeys read, BulkLoader loader, Map<CacheKey, Object> found)
            throws Exception {
        List<CacheKey> missing = read.keys();
        Map<CacheKey, Reservation> claims = new HashMap<>();
        Set<CacheKey> withoutCluster = new HashSet<>(missing);
        GuardedCluster cluster = layers.cluster();
        Map<CacheKey, TagVersions.Asked> asked = null;
        GuardedCluster.Reached<Map<CacheKey, ClusterLayer.Entry>> got = cluster.getAll(missing);
        if (got.reached()) {
            withoutCluster.clear();
            Map<CacheKey, ClusterLayer.Entry> toClaim = new HashMap<>();
            for (CacheKey key : missing) {
                ClusterLayer.Entry entry = got.value().get(key);
                boolean current = entry == null || entry.isClaim() || layers.current(entry.value());
                if (entry != null && !entry.isClaim() && current && !StaleIfError.expired(read.times(), entry)) {
                    counters.clusterHit();
                    if (read.withNear()) {
                        layers.near().publish(key, entry.value(), entry.raw().length, entry.writtenAt(),
                                read.stamps().get(key), read.times().ttl());
                    }
                    read.request().remember(key, entry.value());
                    found.put(key, entry.value());
                    flights.land(key, read.led().get(key), new SingleFlight.Outcome.Value(entry.value()));
                } else if (entry == null || !entry.isClaim()) {
                    toClaim.put(key, entry);       // absent, past its TTL, or a tag of it invalidated
                }                                  // else another load holds it: loaded here too, published there
            }
            missing = missing.stream().filter(key -> !found.containsKey(key)).toList();
            asked = ask(read, missing);                 // answered with the claims
            GuardedCluster.Reached<Map<CacheKey, Reservation>> taken = toClaim.isEmpty()
                    ? new GuardedCluster.Reached<>(true, Map.of()) : cluster.reserveAll(toClaim);
            if (taken.reached()) {
                claims.putAll(taken.value());
            } else {
                withoutCluster.addAll(toClaim.keySet());
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        for (CacheKey key : missing) {
            counters.load();
            if (layers.recordings().active()) {
                layers.recordings().miss(settings.cache(), key);
            }
        }
        if (asked == null) {
            asked = ask(read, missing);
        }
        Map<CacheKey, String[]> tagsOf = new HashMap<>();
        Map<CacheKey, long[]> versions = new HashMap<>();
        asked.forEach((key, ask) -> {
            tagsOf.put(key, ask.tags());
            versions.put(key, layers.versions(ask));
        });
        Map<CacheKey, Object> loaded;
        Map<String, Long> entities = Map.of();
        long started = System.nanoTime();
        try {
            if (read.tracking()) {
                try (EntityDependencies.Recording recording = layers.recordEntities()) {
                    loaded = loader.load(missing);
                    entities = recording.tags();
                }
            } else {
                loaded = loader.load(missing);
            }
            counters.loaded(System.nanoTime() - started);
        } catch (Exception failure) {
            counters.loaded(System.nanoTime() - started);
            releaseAll(claims);
            read.led().forEach((key, flight) -> flights.land(key, flight,
                    new SingleFlight.Outcome.Failed(failure)));
            throw failure;
        } catch (Error failure) {
            releaseAll(claims);
            throw failure;
        }
        Map<CacheKey, Object> stored = new HashMap<>();
        for (CacheKey key : missing) {
            Object value = layers.stored(loaded.get(key), tagsOf.get(key), versions.get(key), entities);
            stored.put(key, value);
            read.request().remember(key, value);
            found.put(key, value);
        }
        List<CacheKey> loadedKeys = missing;
        layers.transactions().afterCompletion(() -> publishAll(read, loadedKeys, stored, claims, withoutCluster),
                () -> {
            read.led().forEach((key, flight) -> flights.land(key, flight, SingleFlight.Outcome.RETRY));
            releaseAll(claims);
            stored.forEach(read.request()::forget);
        });
        return found;
    }

    /** After the loads' transaction committed: the cluster writes at once, then each key as a single load's. */
    private void publishAll(ManyKeys read, List<CacheKey> loadedKeys, Map<CacheKey, Object> stored,
                            Map<CacheKey, Reservation> claims, Set<CacheKey> withoutCluster) {
        List<CacheKey> keys = new ArrayList<>(loadedKeys);
        Map<CacheKey, byte[]> entries = new HashMap<>();
        Map<CacheKey, byte[]> encoded = new HashMap<>();
        for (Map.Entry<CacheKey, Reservation> claim : claims.entrySet()) {
            byte[] entry = layers.cluster().encode(claim.getKey(), stored.get(claim.getKey()));
            encoded.put(claim.getKey(), entry);
            if (publication.fits(claim.getKey(), entry)) {
                entries.put(claim.getKey(), entry);
            }
        }
        TagVersions.StaleCheck<CacheKey> check = layers.askStaleInCluster(stored);   // travels with the writes
        GuardedCluster.Reached<Map<CacheKey, Boolean>> published = entries.isEmpty()
                ? new GuardedCluster.Reached<>(true, Map.of())
                : layers.cluster().publishAll(claims, entries, read.times().kept());
        Set<CacheKey> staleSince = check.stale(counters);            // a tag invalidated while it loaded
        for (CacheKey key : keys) {
            SingleFlight.Flight flight = read.led().get(key);
            boolean shared = false;
            try {
                Publication.Load load = new Publication.Load(key, read.withNear(),
                        read.withNear() ? read.stamps().get(key) : 0,
                        read.times().ttl(), claims.get(key), withoutCluster.contains(key), null);
                GuardedCluster.Reached<Boolean> one = published.reached()
                        ? new GuardedCluster.Reached<>(true, published.value().getOrDefault(key, false))
                        : GuardedCluster.Reached.not();
                Publication.ClusterOutcome outcome = publication.clusterOutcome(load, encoded.get(key),
                        entries.containsKey(key), one);
                if (staleSince.contains(key)) {
                    if (outcome.written()) {
                        layers.cluster().invalidate(key);
                    }
                } else {
                    shared = publication.publishNear(load, stored.get(key), outcome);
                }
            } finally {
                flights.land(key, flight, shared ? new SingleFlight.Outcome.Value(stored.get(key))
                        : SingleFlight.Outcome.RETRY);
            }
        }
    }

    private void releaseAll(Map<CacheKey, Reservation> claims) {
        layers.cluster().releaseAll(claims);
    }

    /** One read of many keys: what its loads need to publish later. */
    private record ManyKeys(RequestEntries request, List<CacheKey> keys, Function<CacheKey, String[]> tags,
                            boolean tracking, EntryTimes times, Map<CacheKey, Long> stamps,
                            Map<CacheKey, SingleFlight.Flight> led, boolean withNear) {
    }

}
