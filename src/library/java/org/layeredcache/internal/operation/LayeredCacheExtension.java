package org.layeredcache.internal.operation;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;
import org.layeredcache.CacheDefinitionException;
import org.layeredcache.CachedRead;
import org.layeredcache.FlushesCounter;
import org.layeredcache.Invalidates;
import org.layeredcache.Preloads;
import org.layeredcache.ReadsCounter;
import org.layeredcache.RequestCached;
import org.layeredcache.internal.config.CacheCatalog;
import org.layeredcache.internal.config.CacheSettings;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.KeyTemplate;

import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import java.io.ObjectInputFilter;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Reads every caching annotation of the deployment once, while CDI discovers the beans: parses each method's
 * operation, reads each cache's settings from MicroProfile Config, and fails the deployment with one
 * {@link CacheDefinitionException} listing every problem. Registers the results as beans for the interceptors.
 */
public class LayeredCacheExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(LayeredCacheExtension.class.getName());
    static final String SERIAL_FILTER = "layered-cache.serialization.filter";
    static final String HEARTBEAT = "layered-cache.invalidation.heartbeat";

    private final OperationParser parser = new OperationParser();
    private final CounterParser counters = new CounterParser(parser.problems());
    private final ObjectParser objects = new ObjectParser(parser.problems());
    private final CacheOperations operations = new CacheOperations();
    private final Set<String> cacheNames = new TreeSet<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<PreloadOperation> preloads = new ArrayList<>();
    private final StandardCollector standard = new StandardCollector(parser, operations, cacheNames);

    <T> void collect(@Observes @WithAnnotations({CachedRead.class, Invalidates.class, Invalidates.List.class,
            RequestCached.class, Preloads.class, FlushesCounter.class, ReadsCounter.class,
            org.layeredcache.StoresObjects.class, org.layeredcache.LoadsObject.class})
            ProcessAnnotatedType<T> event) {
        AnnotatedType<T> type = event.getAnnotatedType();
        if (type.isAnnotationPresent(Interceptor.class)) {
            return; // our own interceptors carry the bindings
        }
        for (Class<?> annotation : OperationParser.ANNOTATIONS) {
            if (type.isAnnotationPresent(annotation.asSubclass(Annotation.class))) {
                parser.onClass(type.getJavaClass(), OperationParser.nameOf(annotation));
            }
        }
        for (AnnotatedMethod<? super T> annotated : type.getMethods()) {
            collect(annotated);
        }
    }

    /**
     * The JSR-107 annotations: each method's operation is parsed, and its annotation replaced by the library's
     * binding, so that the library's interceptor runs for it and the server's own JSR-107 interceptors do not
     * ({@link StandardCollector}).
     */
    <T> void collectStandard(@Observes @WithAnnotations({CacheResult.class, CachePut.class, CacheRemove.class,
            CacheRemoveAll.class}) ProcessAnnotatedType<T> event) {
        standard.collect(event);
    }

    private void collect(AnnotatedMethod<?> annotated) {
        Method method = annotated.getJavaMember();
        CachedRead read = annotated.getAnnotation(CachedRead.class);
        boolean memo = annotated.isAnnotationPresent(RequestCached.class);
        Set<Invalidates> writes = annotated.getAnnotations(Invalidates.class);
        if (read != null && memo) {
            parser.bothReadAndMemo(method);
        }
        if (read != null) {
            cacheNames.add(read.cache());
            ReadOperation operation = parser.read(method, read);
            if (operation != null) {
                operations.add(method, operation);
            }
        }
        if (!writes.isEmpty()) {
            writes.forEach(write -> cacheNames.add(write.cache()));
            List<Invalidation> operation = parser.invalidations(method, List.copyOf(writes));
            if (operation != null) {
                operations.add(method, operation);
            }
        }
        if (memo) {
            MemoOperation operation = parser.memo(method);
            if (operation != null) {
                operations.add(method, operation);
            }
        }
        FlushesCounter flush = annotated.getAnnotation(FlushesCounter.class);
        if (flush != null) {
            counters.flush(method, flush);
        }
        ReadsCounter counterRead = annotated.getAnnotation(ReadsCounter.class);
        if (counterRead != null) {
            counters.read(method, counterRead);
        }
        org.layeredcache.StoresObjects store = annotated.getAnnotation(org.layeredcache.StoresObjects.class);
        if (store != null) {
            objects.store(method, store);
        }
        org.layeredcache.LoadsObject load = annotated.getAnnotation(org.layeredcache.LoadsObject.class);
        if (load != null) {
            objects.load(method, load);
        }
        Preloads preload = annotated.getAnnotation(Preloads.class);
        if (preload != null) {
            cacheNames.add(preload.cache());
            PreloadOperation operation = parser.preload(method, preload);
            if (operation != null) {
                preloads.add(operation);
            }
        }
    }

    /**
     * Each preload fills the entries of one read of its cache: same key shape, same stored type; it takes that
     * read's entry times. One preload per cache.
     */
    private void matchPreloads() {
        Set<String> seen = new TreeSet<>();
        for (PreloadOperation preload : preloads) {
            Preloads annotation = preload.method().getAnnotation(Preloads.class);
            if (!seen.add(preload.cache())) {
                parser.preloadProblem(preload.method(), annotation, "another @Preloads method fills cache '"
                        + preload.cache() + "' already; one per cache");
                continue;
            }
            ReadOperation read = operations.reads().stream()
                    .filter(r -> r.cache().equals(preload.cache()) && r.key().shape().equals(preload.key().shape()))
                    .min(java.util.Comparator.comparing(r -> OperationParser.describe(r.method()))).orElse(null);
            if (read == null) {
                parser.preloadProblem(preload.method(), annotation, "no @CachedRead of cache '" + preload.cache()
                        + "' has a key of the shape \"" + preload.key().shape() + "\", so nothing would read the"
                        + " preloaded entries; the reads' templates are " + operations.keyTemplates(preload.cache()));
            } else if (operations.reads().stream().anyMatch(r -> r.cache().equals(preload.cache())
                    && (!r.tags().isEmpty() || r.trackEntities()))) {
                parser.preloadProblem(preload.method(), annotation, "reads of cache '" + preload.cache() + "' carry"
                        + " tags or track entities, and the entries a preload writes would carry neither, so"
                        + " invalidating a tag or changing an entity would leave them; remove the tags and"
                        + " trackEntities of those reads, or the preload");
            } else if (!read.storedType().equals(preload.valueType())) {
                parser.preloadProblem(preload.method(), annotation, "it gives " + preload.valueType().getTypeName()
                        + ", but " + OperationParser.describe(read.method()) + " reads those entries as "
                        + read.storedType().getTypeName());
            } else {
                operations.add(preload.with(read.times()));
            }
        }
    }

    /**
     * Reads the caches' settings, resolves template-less invalidations against the reads, reports every problem
     * as one definition error (before the container's own validation, so that the list is complete), and
     * registers the results as beans.
     */
    void register(@Observes AfterBeanDiscovery event) {
        Map<String, CacheSettings> settings = new TreeMap<>();
        for (String cache : cacheNames) {
            if (!cache.isBlank()) {
                settings.put(cache, CacheSettings.read(cache, ConfigProvider.getConfig(), parser.problems()::add));
            }
        }
        String serialFilter = readSerialFilter();
        java.time.Duration heartbeat = readHeartbeat();
        operations.resolveInvalidations();
        matchPreloads();
        operations.add(counters.counters());
        operations.addObjects(objects.objects());
        org.layeredcache.internal.config.CounterSettings counterSettings = org.layeredcache.internal.config
                .CounterSettings.read(ConfigProvider.getConfig(), parser.problems());
        org.layeredcache.internal.config.ObjectSettings objectSettings = org.layeredcache.internal.config
                .ObjectSettings.read(ConfigProvider.getConfig(), parser.problems());
        checkSharedEntries();
        checkEntryTimes(settings);
        for (PreloadOperation preload : preloads) {
            CacheSettings cache = settings.get(preload.cache());
            if (cache != null && cache.trackEntities().orElse(false)) {
                parser.problems().add(OperationParser.describe(preload.method()) + " @Preloads(cache = \""
                        + preload.cache() + "\"): configuration property " + cache.configured().get("track-entities")
                        + " turns entity tracking on, and the entries a preload writes would track nothing; remove"
                        + " it, or the preload");
            }
        }
        if (!parser.problems().isEmpty()) {
            event.addDefinitionError(new CacheDefinitionException(parser.problems()));
            return;
        }
        warnAboutUnmatchedInvalidations();
        for (CacheSettings cache : settings.values()) {
            summary.add(CacheSummary.line(cache, operations.reads().stream()
                    .filter(read -> read.cache().equals(cache.cache()))
                    .sorted(java.util.Comparator.comparing(read -> OperationParser.describe(read.method())))
                    .toList()));
        }
        boolean tracksEntities = operations.reads().stream().anyMatch(read -> settings.containsKey(read.cache())
                && settings.get(read.cache()).tracksEntities(read.trackEntities()));
        CacheCatalog catalog = new CacheCatalog(settings, keyTypes(), serialFilter, tracksEntities, heartbeat,
                standard.lateSettings());
        event.addBean().types(CacheCatalog.class).scope(Singleton.class).createWith(context -> catalog);
        event.addBean().types(CacheOperations.class).scope(Singleton.class).createWith(context -> operations);
        event.addBean().types(org.layeredcache.internal.config.CounterSettings.class).scope(Singleton.class)
                .createWith(context -> counterSettings);
        event.addBean().types(org.layeredcache.internal.config.ObjectSettings.class).scope(Singleton.class)
                .createWith(context -> objectSettings);
    }

    /** A refresh that can only start once the entry has expired would never run: refused, with both values. */
    private void checkEntryTimes(Map<String, CacheSettings> settings) {
        for (ReadOperation read : operations.reads()) {
            CacheSettings cache = settings.get(read.cache());
            if (cache == null) {
                continue;
            }
            EntryTimes times = cache.resolve(read.times());
            if (read.each() != null) {
                if (cache.trackEntities().orElse(false)) {
                    parser.problems().add(OperationParser.describe(read.method()) + " @CachedRead(cache = \""
                            + read.cache() + "\", each = \"" + read.method().getParameters()[read.each().parameter()]
                            .getName() + "\"): configuration property " + cache.configured().get("track-entities")
                            + " turns entity tracking on, which a read of many keys cannot use yet; set it only for"
                            + " a cache whose reads are all of one key, or remove it");
                }
                // The annotation's own refreshAfter / staleIfError on such a read is refused by the parser.
                for (String setting : manyKeysOnlyWithout(cache, times)) {
                    parser.problems().add(OperationParser.describe(read.method()) + " @CachedRead(cache = \""
                            + read.cache() + "\", each = \"" + read.method().getParameters()[read.each().parameter()]
                            .getName() + "\"): configuration property " + cache.configured().get(setting)
                            + " gives it " + setting + ", which a read of many keys cannot use; set it only for a"
                            + " cache whose reads are all of one key, or remove it");
                }
                continue;
            }
            if (times.refreshes() && times.refreshAfter().compareTo(times.ttl()) >= 0) {
                parser.problems().add(OperationParser.describe(read.method()) + " @CachedRead(cache = \""
                        + read.cache() + "\"): refreshAfter (" + times.refreshAfter() + ") must be shorter than the"
                        + " ttl (" + times.ttl() + "), or entries expire before any refresh starts"
                        + (cache.ttl().isPresent() || cache.refreshAfter().isPresent()
                                ? " (configuration of cache '" + read.cache() + "' included)" : ""));
            }
        }
    }

    /** The configured settings of {@code cache} that a read of many keys cannot use, as they apply to it. */
    private static List<String> manyKeysOnlyWithout(CacheSettings cache, EntryTimes times) {
        List<String> settings = new ArrayList<>();
        if (cache.refreshAfter().isPresent() && times.refreshes()) {
            settings.add("refresh-after");
        }
        if (cache.staleIfError().isPresent() && !times.staleIfError().isZero()) {
            settings.add("stale-if-error");
        }
        return settings;
    }

    void report(@Observes AfterDeploymentValidation event) {
        summary.forEach(LOG::info);
        notes.forEach(LOG::info);
        warnings.forEach(LOG::warning);
    }

    /**
     * Reads of one cache whose keys have the same shape read the same entries. With the same stored type that is
     * two readers of one entry (noted once); with different types one would receive the other's value, which
     * fails the deployment, naming both methods.
     */
    private void checkSharedEntries() {
        Map<String, List<ReadOperation>> byEntries = new TreeMap<>();
        for (ReadOperation read : operations.reads()) {
            byEntries.computeIfAbsent(read.entries(), entries -> new ArrayList<>()).add(read);
        }
        for (List<ReadOperation> sharing : byEntries.values()) {
            if (sharing.size() < 2) {
                continue;
            }
            sharing.sort(Comparator.comparing(read -> OperationParser.describe(read.method())));
            ReadOperation first = sharing.get(0);
            for (ReadOperation other : sharing.subList(1, sharing.size())) {
                String both = OperationParser.describe(first.method()) + " and " + OperationParser.describe(other.method())
                        + " read the same entries of cache '" + first.cache() + "' (key shape \"" + first.key().shape()
                        + "\")";
                if (first.storedType().equals(other.storedType())) {
                    notes.add(both + ", both as " + first.storedType().getTypeName() + ": they share those entries");
                } else {
                    parser.problems().add(both + ", but one returns " + first.storedType().getTypeName()
                            + " and the other " + other.storedType().getTypeName() + ", so each could receive the"
                            + " other's value; give them different key templates or different caches");
                }
            }
        }
    }

    /** The configured pattern for values read from the cluster, checked now; {@code null} if none is set. */
    private String readSerialFilter() {
        String pattern;
        try {
            pattern = ConfigProvider.getConfig().getOptionalValue(SERIAL_FILTER, String.class).orElse(null);
        } catch (RuntimeException e) {
            parser.problems().add("configuration property " + SERIAL_FILTER + " cannot be read: " + e.getMessage());
            return null;
        }
        if (pattern != null) {
            try {
                ObjectInputFilter.Config.createFilter(pattern);
            } catch (IllegalArgumentException e) {
                parser.problems().add("configuration property " + SERIAL_FILTER + " = '" + pattern + "' is not a"
                        + " valid filter pattern (java.io.ObjectInputFilter.Config.createFilter): " + e.getMessage());
                return null;
            }
        }
        return pattern;
    }

    /** How often each node tells the others the number of its last invalidation message (1 s unless configured). */
    private java.time.Duration readHeartbeat() {
        String text = null;
        try {
            text = ConfigProvider.getConfig().getOptionalValue(HEARTBEAT, String.class).orElse(null);
            java.time.Duration heartbeat = text == null ? java.time.Duration.ofSeconds(1)
                    : org.layeredcache.internal.config.Durations.parse(text);
            if (heartbeat.toMillis() < 10) {
                throw new IllegalArgumentException("it must be at least 10ms");
            }
            return heartbeat;
        } catch (RuntimeException e) {
            parser.problems().add("configuration property " + HEARTBEAT + (text == null ? "" : " = '" + text + "'")
                    + " is not a valid duration (500ms, 1s, 5s): " + e.getMessage());
            return java.time.Duration.ofSeconds(1);
        }
    }

    /** The declared types of every key value, which invalidation messages from other nodes may carry. */
    private Set<Class<?>> keyTypes() {
        Set<Class<?>> types = new HashSet<>();
        for (ReadOperation read : operations.reads()) {
            types.addAll(read.key().valueTypes());
        }
        for (Invalidation invalidation : operations.invalidations()) {
            for (KeyTemplate key : invalidation.keys()) {
                types.addAll(key.valueTypes());
            }
        }
        return types;
    }

    /** An invalidation whose key shape no read of the same cache uses would silently drop nothing. */
    private void warnAboutUnmatchedInvalidations() {
        Set<String> readEntries = new TreeSet<>();
        Set<String> readCaches = new TreeSet<>();
        for (ReadOperation read : operations.reads()) {
            readEntries.add(read.entries());
            readCaches.add(read.cache());
        }
        Set<String> readTags = new TreeSet<>();
        operations.reads().forEach(read -> read.tags().forEach(tag -> readTags.add(tag.shape())));
        for (Invalidation invalidation : operations.invalidations()) {
            for (KeyTemplate tag : invalidation.tags()) {
                if (!readTags.contains(tag.shape())) {
                    warnings.add(OperationParser.describe(invalidation.method()) + " @Invalidates(tags = \""
                            + tag.text() + "\") matches no tag of a @CachedRead in this deployment (tags are"
                            + " compared as rendered text), so it may drop nothing");
                }
            }
            if (invalidation.allEntries() || !readCaches.contains(invalidation.cache())) {
                continue;
            }
            if (invalidation.keys().isEmpty()) {
                warnings.add(OperationParser.describe(invalidation.method()) + " @Invalidates(cache = \""
                        + invalidation.cache() + "\") without a key names the entries of the cache's template-less"
                        + " reads with the same parameters, and no such read exists in this deployment, so it drops"
                        + " nothing; write the key template of the entry it makes stale");
            }
            for (KeyTemplate key : invalidation.keys()) {
                if (!readEntries.contains(invalidation.cache() + "\n" + key.shape())) {
                    warnings.add("@Invalidates(cache = \"" + invalidation.cache() + "\", key = \"" + key.text()
                            + "\") matches no @CachedRead key of that cache in this deployment (key shapes are"
                            + " compared with placeholder names left out), so it may drop nothing");
                }
            }
        }
    }
}
