package org.layeredcache.internal.load;

import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.TagVersions;
import org.layeredcache.internal.stats.CacheCounters;

/**
 * The load of one key that missed every layer: the method runs, and its value is published once its transaction
 * commits, under {@link Publication}'s rules; after a rollback nothing is. A load that throws is answered by an
 * expired entry when one may stand in ({@link StaleIfError}); otherwise its exception reaches the caller and the
 * callers waiting for it. The key's flight on this node lands with the outcome in every case. Thread-safe.
 */
public final class KeyLoader {

    private final Layers layers;
    private final CacheCounters counters;
    private final SingleFlight flights;
    private final Publication publication;
    private final StaleIfError staleIfError;

    public KeyLoader(Layers layers, SingleFlight flights, Publication publication, StaleIfError staleIfError) {
        this.layers = layers;
        this.counters = layers.counters();
        this.flights = flights;
        this.publication = publication;
        this.staleIfError = staleIfError;
    }

    /**
     * Runs the method for {@code read}'s key ({@code load} says what the read found and claimed) and answers its
     * stored form; {@code flight} (the read's on this node, or {@code null}) lands with it once it is published.
     * {@code versions} are its tags' versions if the read asked them already (with its claim), else {@code null}.
     *
     * @throws Exception whatever the method throws when no expired entry stands in, unchanged
     */
    public Object load(KeyRead read, SingleFlight.Flight flight, Publication.Load load, TagVersions.Asked versions)
            throws Exception {
        CacheKey key = read.key();
        counters.load();
        if (layers.recordings().active()) {
            layers.recordings().miss(layers.cache(), key);
        }
        Object stored;
        long started = System.nanoTime();
        try {
            stored = versions == null ? layers.load(read.method(), read.tags(), read.trackEntities())
                    : layers.load(read.method(), versions, read.trackEntities());
            counters.loaded(System.nanoTime() - started);
        } catch (Exception failure) {
            counters.loaded(System.nanoTime() - started);
            Object standIn = staleIfError.standIn(read, load, failure);
            if (standIn != null) {
                flights.land(key, flight, new SingleFlight.Outcome.Value(standIn));
                return standIn;
            }
            publication.release(load);
            flights.land(key, flight, new SingleFlight.Outcome.Failed(failure));
            throw failure;
        } catch (Error failure) {
            publication.release(load);
            flights.land(key, flight, SingleFlight.Outcome.RETRY);
            throw failure;
        }
        if (read.keepsOut(stored, counters)) {
            return notCached(read, flight, load, stored);
        }
        read.request().remember(key, stored);
        layers.transactions().afterCompletion(() -> {
            boolean shared = false;
            try {
                shared = publication.publish(load, stored, read.times().kept());
            } finally {
                flights.land(key, flight, shared ? new SingleFlight.Outcome.Value(stored)
                        : SingleFlight.Outcome.RETRY);
            }
        }, () -> {
            flights.land(key, flight, SingleFlight.Outcome.RETRY);
            publication.release(load);
            read.request().forget(key, stored);
        });
        return stored;
    }

    /**
     * A value the read's {@code unless} keeps out: stored in no layer, its claim given up; the callers waiting for
     * it on this node get it once the transaction commits (after a rollback they read again).
     */
    private Object notCached(KeyRead read, SingleFlight.Flight flight, Publication.Load load, Object stored) {
        publication.release(load);
        layers.transactions().afterCompletion(
                () -> flights.land(read.key(), flight, new SingleFlight.Outcome.Value(stored)),
                () -> flights.land(read.key(), flight, SingleFlight.Outcome.RETRY));
        return stored;
    }
}
