package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A CDI bean (no EJB container around it): results, exceptions, faults, and {@code @Transactional}. */
@ApplicationScoped
public class Lookups {

    public static final IllegalStateException BROKEN = new IllegalStateException("broken on purpose");

    /** Cannot be serialized: it never reaches the cluster. */
    public record Handle(long id, Object resource) {
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    LoadCounter loads;

    @CachedRead(cache = "it-results", key = "nothing-{id}")
    public String nothing(long id) {
        loads.ran("nothing");
        return null;
    }

    @CachedRead(cache = "it-results", key = "maybe-{id}")
    public Optional<String> maybe(long id) {
        loads.ran("maybe");
        return Optional.empty();
    }

    @CachedRead(cache = "it-results", key = "failing-{id}")
    public String failing(long id) {
        loads.ran("failing");
        throw BROKEN;
    }

    @CachedRead(cache = "it-results", key = "handle-{id}")
    public Handle handle(long id) {
        loads.ran("handle");
        return new Handle(id, new Object());
    }

    /** Cached only for positive ids, and only values that are not drafts. */
    @CachedRead(cache = "it-results", key = "conditional-{id}", condition = "id > 0",
            unless = "result.startsWith('draft')")
    public String conditional(long id, String value) {
        loads.ran("conditional");
        return value + " " + loads.runs("conditional");
    }

    /** Invalidates, after its transaction commits, only when it says it changed something. */
    @Transactional
    @Invalidates(cache = "it-results", key = "conditional-{id}", condition = "result")
    public boolean changeConditional(long id, boolean changed) {
        return changed;
    }

    private final Map<Long, CompletableFuture<String>> stages = new ConcurrentHashMap<>();

    /** Answers a stage that {@link #completeAsync} completes. */
    @CachedRead(cache = "it-results", key = "async-{id}")
    public CompletionStage<String> asyncValue(long id) {
        loads.ran("async");
        CompletableFuture<String> stage = new CompletableFuture<>();
        stages.put(id, stage);
        return stage;
    }

    public void completeAsync(long id, String value) {
        stages.get(id).complete(value);
    }

    /** Writes, then fails: {@code @Transactional} rolls the write back, so nothing may be invalidated. */
    @Transactional
    @Invalidates(cache = "it-services", key = "service-{id}")
    public void renameThenFail(long id, String name) {
        em.find(ServiceRow.class, id).setName(name);
        em.flush();
        throw new IllegalStateException("fails after writing");
    }
}
