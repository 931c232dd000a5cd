package org.layeredcache.internal.audit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.layeredcache.ConsistencyAudit;
import org.layeredcache.internal.cache.AuditSamples;
import org.layeredcache.internal.cache.CacheLayers;
import org.layeredcache.internal.cache.CacheRegistry;
import org.layeredcache.internal.config.CacheCatalog;
import org.layeredcache.internal.config.CacheSettings;
import org.layeredcache.internal.layer.Layers;
import org.layeredcache.internal.load.FreshLoad;
import org.layeredcache.internal.stats.AuditFigures;
import org.layeredcache.internal.stats.AuditFigures.Layer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The consistency auditor: for each cache configured with {@code audit.enabled=true}, once per
 * {@code audit.period} on each node, takes a key that a caller just read from a layer ({@link AuditSamples}) and
 * checks the layers' copies against a new call of the method.
 * <ol>
 *   <li>The copies are read (near and cluster; loads nothing), then the same call is made again through the bean,
 *       on the server's executor, never a caller's thread, in a transaction that is rolled back
 *       ({@link FreshLoad}: the call asks and fills no layer, so the check publishes nothing).</li>
 *   <li>A copy equal to the answer (or of the same serialized form) agrees. One that differs is checked again after
 *       {@code audit.recheck-after}: if its entry was dropped or replaced meanwhile, a write committed during the
 *       check and its invalidation arrived, which is no disagreement ({@code superseded}); if the same entry is
 *       still there and the method still answers something else, it disagrees: counted, logged, kept among the last
 *       divergences, and dropped everywhere when {@code audit.drop-diverging} says so.</li>
 * </ol>
 * One check per cache runs at a time on a node. Thread-safe.
 */
@ApplicationScoped
public class ConsistencyAuditor {

    private static final Logger LOG = Logger.getLogger(ConsistencyAuditor.class.getName());

    @Inject
    CacheRegistry registry;

    @Inject
    CacheLayers layers;

    @Inject
    CacheCatalog catalog;

    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private final Set<String> checking = ConcurrentHashMap.newKeySet();
    private final Set<String> divergenceLogged = ConcurrentHashMap.newKeySet();

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        try {
            for (String cache : catalog.names()) {                  // the caches themselves only if audited
                CacheSettings settings = catalog.settings(cache);
                if (settings.audit().enabled() && settings.enabled()) {
                    schedule(cache, settings.audit());
                }
            }
        } catch (RuntimeException | LinkageError e) {      // caching must never stop the application from starting
            LOG.log(Level.WARNING, "The consistency auditor was not started; caching works without it", e);
        }
    }

    @PreDestroy
    void stop() {
        synchronized (schedules) {
            schedules.forEach(schedule -> schedule.cancel(false));
            schedules.clear();
        }
    }

    private void schedule(String cache, CacheSettings.Audit audit) {
        registry.auditSamples(cache).take();                          // from now on, the next hit is offered
        long period = audit.period().toMillis();
        synchronized (schedules) {
            schedules.add(registry.scheduler().scheduleWithFixedDelay(() -> next(cache, audit), period, period,
                    TimeUnit.MILLISECONDS));
        }
        LOG.info(() -> "Cache '" + cache + "': the consistency auditor checks an entry read on this node every "
                + audit.period().toMillis() + " ms against its method (re-check after "
                + audit.recheckAfter().toMillis() + " ms" + (audit.dropDiverging() ? ", diverging entries dropped)"
                : ")"));
    }

    /** On the scheduler: hands the key read since the last period, if any, to a check on the executor. */
    private void next(String cache, CacheSettings.Audit audit) {
        if (!checking.add(cache)) {
            return;                                                    // the last check is still on
        }
        AuditSamples.Sample sample = registry.auditSamples(cache).take();
        if (sample == null) {
            checking.remove(cache);
            return;
        }
        onExecutor(cache, () -> check(cache, audit, sample));
    }

    /**
     * Runs a step of the cache's check on the server's executor; the check ends (and the next may start) when a
     * step answers false, or fails to start.
     */
    private void onExecutor(String cache, java.util.function.BooleanSupplier step) {
        try {
            registry.executor().execute(() -> {
                boolean goesOn = false;
                try {
                    goesOn = step.getAsBoolean();
                } finally {
                    if (!goesOn) {
                        checking.remove(cache);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            checking.remove(cache);
            LOG.log(Level.FINE, "An audit check of cache '" + cache + "' could not go on", e);
        }
    }

    /**
     * Checks one sampled key; a difference is looked at again after {@code audit.recheck-after}, from the
     * scheduler, no thread waiting meanwhile.
     *
     * @return whether the check goes on later (the re-check was scheduled)
     */
    private boolean check(String cache, CacheSettings.Audit audit, AuditSamples.Sample sample) {
        Layers cacheLayers = registry.layersOf(cache);
        AuditFigures figures = cacheLayers.counters().audit();
        CachedCopies before = CachedCopies.of(cacheLayers, sample.key());
        if (before.none()) {
            return false;                                // dropped since it was read: nothing cached to check
        }
        Object fresh = freshValue(cache, sample, figures);
        if (fresh == null) {
            return false;
        }
        List<Layer> differing = before.differing(fresh);
        if (differing.isEmpty()) {
            before.layers().forEach(layer -> figures.compared(layer, true));
            figures.agreed();
            return false;
        }
        try {
            registry.scheduler().schedule(() -> onExecutor(cache, () -> {
                recheck(cache, audit, sample, before, differing, figures);
                return false;
            }), audit.recheckAfter().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            LOG.log(Level.FINE, "The re-check of an audit check of cache '" + cache + "' could not be scheduled", e);
            return false;
        }
    }

    /** The second look at a difference: the same entry still there, and the method still answering otherwise. */
    private void recheck(String cache, CacheSettings.Audit audit, AuditSamples.Sample sample, CachedCopies before,
                         List<Layer> differing, AuditFigures figures) {
        Layers cacheLayers = registry.layersOf(cache);
        CachedCopies after = CachedCopies.of(cacheLayers, sample.key());
        List<Layer> kept = differing.stream().filter(layer -> after.stillHolds(layer, before)).toList();
        if (kept.isEmpty()) {
            figures.superseded();                         // every differing entry was dropped or replaced meanwhile
            return;
        }
        Object fresh = freshValue(cache, sample, figures);
        if (fresh == null) {
            return;
        }
        List<Layer> still = after.differing(fresh).stream().filter(kept::contains).toList();
        before.layers().forEach(layer -> {
            if (!differing.contains(layer) || kept.contains(layer)) {
                figures.compared(layer, !still.contains(layer));
            }
        });
        if (still.isEmpty()) {
            figures.agreed();
            return;
        }
        boolean drop = audit.dropDiverging();
        if (drop) {
            layers.invalidateNow(cache, sample.key());
        }
        List<ConsistencyAudit.Divergence> found = still.stream().map(layer -> AuditFigures.divergence(
                sample.key().toString(), layer, after.copy(layer).writtenAt(), after.copy(layer).stored(), fresh, drop))
                .toList();
        figures.disagreed(found);
        found.forEach(divergence -> log(cache, divergence));
    }

    /** The method's answer now (its stored form), or {@code null} when the call failed (counted as failed). */
    private Object freshValue(String cache, AuditSamples.Sample sample, AuditFigures figures) {
        FreshLoad fresh = new FreshLoad(cache, sample.key());
        try {
            return registry.transactions().inRolledBackTransaction(() -> fresh.run(sample.again()));
        } catch (Exception | LinkageError e) {
            figures.failed();
            LOG.log(Level.FINE, "An audit check of cache '" + cache + "' could not call its method", e);
            return null;
        }
    }

    /** The first divergence of a cache at WARNING (with the values), the others at FINE: the figures count them. */
    private void log(String cache, ConsistencyAudit.Divergence divergence) {
        Level level = divergenceLogged.add(cache) ? Level.WARNING : Level.FINE;
        LOG.log(level, () -> "Cache '" + cache + "': the " + divergence.layer() + " layer holds for key '"
                + divergence.key() + "' (written " + divergence.cachedAt() + ") " + divergence.cached()
                + ", but the method now answers " + divergence.current() + (divergence.dropped() ? "; entry dropped"
                : "") + ". Further divergences of this cache are counted (layered_cache_audit_disagreements) and"
                + " shown by the admin resource, and logged at FINE.");
    }
}
