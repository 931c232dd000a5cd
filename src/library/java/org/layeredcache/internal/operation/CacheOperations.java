package org.layeredcache.internal.operation;

import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;
import org.layeredcache.RequestCached;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.key.RenderedKey;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Every annotated method's operation, parsed at deployment and looked up by the interceptors on each call (one
 * map lookup). A method the deployment scan did not see, such as a business interface's method called on an EJB,
 * is parsed at its first call on each class of bean (two implementations of one interface keep their own
 * annotations); if that finds a problem, the problem is logged and the method runs uncached, since a call must not
 * fail because of caching. Thread-safe.
 */
public final class CacheOperations {

    private static final Logger LOG = Logger.getLogger(CacheOperations.class.getName());
    /** The caches some of whose reads carry tags. */
    public java.util.Set<String> cachesWithTags() {
        return reads.values().stream().filter(read -> !read.tags().isEmpty()).map(ReadOperation::cache)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    private static final ReadOperation UNCACHED_READ = new ReadOperation("", null, List.of(), false, null, false,
            false, null, null, null, null, false);
    private static final MemoOperation UNCACHED_MEMO = new MemoOperation("", null);

    private final Map<Method, ReadOperation> reads = new ConcurrentHashMap<>();
    private final Map<Method, List<Invalidation>> invalidations = new ConcurrentHashMap<>();
    private final Map<Method, MemoOperation> memos = new ConcurrentHashMap<>();
    private final Map<Method, StandardOperation> standard = new ConcurrentHashMap<>();
    private final Map<String, PreloadOperation> preloads = new ConcurrentHashMap<>();
    private final Map<String, CounterOperation> counters = new ConcurrentHashMap<>();
    private final Map<String, ObjectOperation> objects = new ConcurrentHashMap<>();
    private final Map<Called, ReadOperation> lateReads = new ConcurrentHashMap<>();
    private final Map<Called, List<Invalidation>> lateInvalidations = new ConcurrentHashMap<>();
    private final Map<Called, MemoOperation> lateMemos = new ConcurrentHashMap<>();

    void add(Method method, ReadOperation operation) {
        reads.put(method, operation);
    }

    void add(Method method, List<Invalidation> operation) {
        invalidations.put(method, operation);
    }

    void add(Method method, MemoOperation operation) {
        memos.put(method, operation);
    }

    void add(Method method, StandardOperation operation) {
        standard.put(method, operation);
    }

    /**
     * The JSR-107 operation of the called method (or, for a business interface's method, of the target class's
     * implementation of it), or {@code null} when it runs uncached.
     */
    public StandardOperation standard(Method method, Object target) {
        StandardOperation found = standard.get(method);
        for (Class<?> type = target == null ? null : target.getClass(); found == null && type != null;
             type = type.getSuperclass()) {
            try {
                found = standard.get(type.getDeclaredMethod(method.getName(), method.getParameterTypes()));
            } catch (NoSuchMethodException notHere) {
                // keep looking in the superclass
            }
        }
        return found;
    }

    void add(Map<String, CounterOperation> declared) {
        counters.putAll(declared);
    }

    void addObjects(Map<String, ObjectOperation> declared) {
        objects.putAll(declared);
    }

    /** The kind of shared object of that name, if the deployment declares it. */
    public Optional<ObjectOperation> object(String name) {
        return Optional.ofNullable(objects.get(name));
    }

    /** The deployment's kinds of shared object by name. */
    public Map<String, ObjectOperation> objects() {
        return Map.copyOf(objects);
    }

    /** The counter of that name, if the deployment declares it. */
    public Optional<CounterOperation> counter(String name) {
        return Optional.ofNullable(counters.get(name));
    }

    /** The deployment's counters by name. */
    public Map<String, CounterOperation> counters() {
        return Map.copyOf(counters);
    }

    void add(PreloadOperation operation) {
        preloads.put(operation.cache(), operation);
    }

    /** The preload of {@code cache}, if a {@code @Preloads} method fills it. */
    public Optional<PreloadOperation> preload(String cache) {
        return Optional.ofNullable(preloads.get(cache));
    }

    /** The caches that a {@code @Preloads} method fills. */
    public java.util.Set<String> preloadedCaches() {
        return java.util.Set.copyOf(preloads.keySet());
    }

    /**
     * The key of {@code cache} that an operator wrote as {@code text} (as keys render, e.g. {@code service-42}),
     * read back through the templates of the cache's reads; empty when none of them fits.
     */
    public Optional<CacheKey> parseKey(String cache, String text) {
        return reads.values().stream().filter(read -> read.cache().equals(cache))
                .map(read -> RenderedKey.parse(read.key(), text)).flatMap(Optional::stream).findFirst();
    }

    /**
     * The read of {@code cache} that a key written as {@code text} comes from, with the arguments that give that
     * key: the first read whose template fits the text and names each of its method's parameters whole. Empty when
     * none does.
     */
    public Optional<Map.Entry<Method, Object[]>> callFor(String cache, String text) {
        return reads.values().stream().filter(read -> read.cache().equals(cache) && read.each() == null)
                .sorted(java.util.Comparator.comparing(read -> read.method().toGenericString()))
                .flatMap(read -> RenderedKey.arguments(read.key(), text, read.method().getParameterTypes())
                        .map(arguments -> Map.entry(read.method(), arguments)).stream())
                .findFirst();
    }

    /** The key templates of the reads of {@code cache}, as written, for messages. */
    public List<String> keyTemplates(String cache) {
        return reads.values().stream().filter(read -> read.cache().equals(cache)).map(read -> read.key().text())
                .distinct().sorted().toList();
    }

    /** All read operations, to check invalidations against. */
    Collection<ReadOperation> reads() {
        return reads.values();
    }

    /** All invalidations of all methods. */
    public List<Invalidation> invalidations() {
        return invalidations.values().stream().flatMap(List::stream).toList();
    }

    /** Turns every template-less invalidation into the keys of the reads it names; once all reads are known. */
    void resolveInvalidations() {
        invalidations.replaceAll((method, list) -> resolve(list));
    }

    private List<Invalidation> resolve(List<Invalidation> list) {
        return list.stream().map(invalidation -> invalidation.resolve(reads.values())).toList();
    }

    /** The read operation of the called method, or {@code null} when it must run uncached. */
    public ReadOperation read(Method method, Object target) {
        ReadOperation found = reads.get(method);
        if (found == null) {
            found = lateReads.computeIfAbsent(Called.of(method, target), called -> late(called, CachedRead.class,
                    (parser, annotated) -> parser.read(annotated, annotated.getAnnotation(CachedRead.class)),
                    UNCACHED_READ));
        }
        return found == UNCACHED_READ ? null : found;
    }

    /** The invalidations of the called method, or {@code null} when there are none to do. */
    public List<Invalidation> invalidations(Method method, Object target) {
        List<Invalidation> found = invalidations.get(method);
        if (found == null) {
            found = lateInvalidations.computeIfAbsent(Called.of(method, target), called -> resolve(late(called,
                    Invalidates.class, (parser, annotated) -> parser.invalidations(annotated,
                            Arrays.asList(annotated.getAnnotationsByType(Invalidates.class))),
                    List.of())));
        }
        return found.isEmpty() ? null : found;
    }

    /** The memo operation of the called method, or {@code null} when it must run uncached. */
    public MemoOperation memo(Method method, Object target) {
        MemoOperation found = memos.get(method);
        if (found == null) {
            found = lateMemos.computeIfAbsent(Called.of(method, target), called -> late(called, RequestCached.class,
                    (parser, annotated) -> parser.memo(annotated), UNCACHED_MEMO));
        }
        return found == UNCACHED_MEMO ? null : found;
    }

    /**
     * A method the deployment scan did not see, as called on a bean of some class: the same interface method
     * called on two implementations is two operations, each parsed from its own class's annotations.
     */
    private record Called(Method method, Class<?> targetClass) {
        static Called of(Method method, Object target) {
            return new Called(method, target == null ? null : target.getClass());
        }
    }

    private static <T> T late(Called called, Class<? extends Annotation> annotation, Parse<T> parse, T uncached) {
        Method annotated = annotatedMethod(called.method(), called.targetClass(), annotation);
        OperationParser parser = new OperationParser();
        T operation = null;
        if (annotated == null) {
            parser.notAnnotated(called.method(), OperationParser.nameOf(annotation));
        } else {
            operation = parse.apply(parser, annotated);
        }
        if (operation == null) {
            LOG.severe("Runs uncached: " + String.join("; ", parser.problems()));
            return uncached;
        }
        return operation;
    }

    /** The method carrying the annotation: the called one, or the target class's implementation of it. */
    private static Method annotatedMethod(Method called, Class<?> targetClass, Class<? extends Annotation> annotation) {
        if (called.getAnnotationsByType(annotation).length > 0) {
            return called;
        }
        for (Class<?> type = targetClass; type != null; type = type.getSuperclass()) {
            try {
                Method declared = type.getDeclaredMethod(called.getName(), called.getParameterTypes());
                if (declared.getAnnotationsByType(annotation).length > 0) {
                    return declared;
                }
            } catch (NoSuchMethodException notHere) {
                // keep looking in the superclass
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface Parse<T> {
        T apply(OperationParser parser, Method method);
    }
}
