package org.layeredcache.internal.load;

import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.layer.TagVersions;
import org.layeredcache.internal.stats.CacheCounters;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

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
        if (read.async()) {
            return loadAsync(read, flight, load, versions);
        }
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
            giveUp(load, flight, new SingleFlight.Outcome.Failed(failure));
            throw failure;
        } catch (Error failure) {
            giveUp(load, flight, SingleFlight.Outcome.RETRY);
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
     * The load of an asynchronous result: the method is called on the caller's thread and answers a stage at once;
     * when the stage completes, its value is answered ({@link PendingLoad}) and, once the caller's transaction (if
     * any) committed, published under the same rules as a synchronous load, and the key's flight lands. A stage that
     * completes exceptionally publishes nothing, and its failure reaches the callers waiting for it. Entity tracking
     * and stale-if-error do not apply (the method's work runs on other threads).
     *
     * @throws Exception whatever the method throws before it answers a stage, unchanged
     */
    private Object loadAsync(KeyRead read, SingleFlight.Flight flight, Publication.Load load,
                             TagVersions.Asked versions) throws Exception {
        CacheKey key = read.key();
        counters.load();
        if (layers.recordings().active()) {
            layers.recordings().miss(layers.cache(), key);
        }
        TagVersions.Asked asked = versions == null ? layers.ask(read.tags()) : versions;
        long[] tagVersions = layers.versions(asked);
        long started = System.nanoTime();
        CompletionStage<?> stage;
        try {
            stage = (CompletionStage<?>) read.method().call();
        } catch (Exception failure) {
            giveUp(load, flight, new SingleFlight.Outcome.Failed(failure));
            throw failure;
        } catch (Error failure) {
            giveUp(load, flight, SingleFlight.Outcome.RETRY);
            throw failure;
        }
        if (flight != null) {
            flight.leaderReturned();                      // the method returned: its stack no longer leads the load
        }
        if (stage == null) {                              // nothing to wait for, nothing to cache
            giveUp(load, flight, SingleFlight.Outcome.RETRY);
            return new PendingLoad(null);
        }
        CompletableFuture<Boolean> committed = new CompletableFuture<>();
        layers.transactions().afterCompletion(() -> committed.complete(true), () -> committed.complete(false));
        CompletableFuture<Object> answer = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            counters.loaded(System.nanoTime() - started);
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                giveUp(load, flight, new SingleFlight.Outcome.Failed(new StageFailure(cause)));
                answer.completeExceptionally(cause);
                return;
            }
            Object stored = layers.stored(value, asked.tags(), tagVersions);
            boolean keptOut = read.keepsOut(stored, counters);
            if (committed.isDone()) {                     // no transaction, or it ended: publish, then answer
                settle(read, flight, load, stored, keptOut, committed.join());
                answer.complete(stored);
            } else {                                      // answer now: the caller may be what the commit waits for
                answer.complete(stored);
                committed.thenAccept(commit -> settle(read, flight, load, stored, keptOut, commit));
            }
        });
        return new PendingLoad(answer);
    }

    /** After an asynchronous load's value came and its transaction ended: publish it (or not), land the flight. */
    private void settle(KeyRead read, SingleFlight.Flight flight, Publication.Load load, Object stored,
                        boolean keptOut, boolean committed) {
        boolean shared = false;
        try {
            if (!committed || keptOut) {
                publication.release(load);
                shared = committed;                       // a value kept out is still shared with the waiters
            } else {
                shared = publication.publish(load, stored, read.times().kept());
            }
        } catch (RuntimeException e) {
            counters.fault("publishing a load", e);
        } finally {
            flights.land(read.key(), flight, shared ? new SingleFlight.Outcome.Value(stored)
                    : SingleFlight.Outcome.RETRY);
        }
    }

    /** Gives the load's claim up and lands its flight with {@code outcome}: nothing of it is published. */
    private void giveUp(Publication.Load load, SingleFlight.Flight flight, SingleFlight.Outcome outcome) {
        publication.release(load);
        flights.land(load.key(), flight, outcome);
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
