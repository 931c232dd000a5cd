package org.layeredcache.internal.operation;

import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;
import org.layeredcache.Preloads;
import org.layeredcache.RequestCached;
import org.layeredcache.internal.condition.Condition;
import org.layeredcache.internal.config.Durations;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.KeyTemplate;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Turns the caching annotations of one method into operations, checking every rule on the way. Each problem is
 * one sentence naming the class, the method, the annotation and, where one is involved, the parameter; all are
 * collected, so that a deployment reports every problem at once. Not thread-safe: one parser per deployment.
 */
public final class OperationParser {

    static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private final List<String> problems = new ArrayList<>();

    List<String> problems() {
        return problems;
    }

    /** The read operation, or {@code null} if a problem was reported. */
    ReadOperation read(Method method, CachedRead annotation) {
        Consumer<String> report = reporter(method, describe(annotation));
        int before = problems.size();
        checkInterceptable(method, report);
        boolean async = ReadOperation.isAsync(method);
        if (async) {
            checkAsync(annotation, report);
        } else {
            checkResult(method, report);
        }
        checkCacheName(annotation.cache(), report);
        PerElement each = annotation.each().isEmpty() ? null : perElement(method, annotation, report);
        KeyTemplate key;
        if (annotation.key().isEmpty()) {
            key = KeyTemplate.allParameters(method, true, report);
        } else if (each != null) {
            key = KeyTemplate.parse(annotation.key(), method, each.parameter(), elementType(method, each.parameter()),
                    report);
            if (key != null && !key.uses(each.parameter())) {
                report.accept("the key template names no {" + annotation.each() + "}: each entry's key comes from"
                        + " one id, such as key = \"price-{" + annotation.each() + "}\"");
            }
        } else {
            key = KeyTemplate.parse(annotation.key(), method, report);
        }
        List<KeyTemplate> tags = new ArrayList<>();
        for (String tag : annotation.tags()) {
            KeyTemplate template = each != null
                    ? KeyTemplate.parse(tag, method, each.parameter(), elementType(method, each.parameter()),
                            problem -> report.accept("tag \"" + tag + "\": " + problem))
                    : KeyTemplate.parse(tag, method, problem -> report.accept("tag \"" + tag + "\": " + problem));
            if (tag.isBlank()) {
                report.accept("a tag is blank; write its template, such as tags = \"service-{serviceId}\"");
            } else if (template != null) {
                tags.add(template);
            }
        }
        EntryTimes times = new EntryTimes(duration("ttl", annotation.ttl(), DEFAULT_TTL, report),
                duration("refreshAfter", annotation.refreshAfter(), Duration.ZERO, report),
                duration("staleIfError", annotation.staleIfError(), Duration.ZERO, report));
        if (annotation.each().isEmpty() && !annotation.idOf().isEmpty()) {
            report.accept("idOf = \"" + annotation.idOf() + "\" is only for reads of many keys; name the collection"
                    + " parameter of ids with each, or remove idOf");
        }
        String where = describe(method) + " " + describe(annotation);
        Condition condition = annotation.condition().isEmpty() ? null
                : Condition.parse("condition", annotation.condition(), method, false, where, report);
        Condition unless = null;
        if (!annotation.unless().isEmpty()) {
            unless = Condition.parse("unless", annotation.unless(), method, true, where, report);
            if (!annotation.each().isEmpty()) {
                report.accept("unless is not available for a read of many keys (each) yet; read one key per call,"
                        + " or leave unless out");
            }
        }
        return problems.size() == before
                ? new ReadOperation(annotation.cache(), key, List.copyOf(tags), annotation.trackEntities(), times,
                        ReadOperation.isOptional(method),
                        annotation.key().isEmpty(), method, each, condition, unless, async)
                : null;
    }

    /**
     * How a read of many keys works, or {@code null} after reporting why it cannot: the {@code each} parameter is
     * a collection of ids, and the result can be matched to them (a map by its keys, a collection by
     * {@code idOf}).
     */
    private PerElement perElement(Method method, CachedRead annotation, Consumer<String> report) {
        String name = annotation.each();
        java.lang.reflect.Parameter[] parameters = method.getParameters();
        int index = -1;
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].getName().equals(name)) {
                index = i;
            }
        }
        int problemsBefore = problems.size();
        if (index < 0) {
            report.accept("each = \"" + name + "\": no parameter is named '" + name + "'; the parameters are "
                    + Arrays.stream(parameters).map(p -> p.getType().getSimpleName() + " " + p.getName())
                            .collect(Collectors.joining(", ", "(", ")"))
                    + (parameters.length > 0 && !parameters[0].isNamePresent() ? " (compile with -parameters)" : ""));
            return null;
        }
        Class<?> type = parameters[index].getType();
        boolean setOfIds = type == java.util.Set.class;
        if (!(type == java.util.Collection.class || type == java.util.List.class || setOfIds)) {
            report.accept("each = \"" + name + "\": parameter '" + name + "' is a " + type.getSimpleName() + "; it"
                    + " must be a Collection, List or Set of ids");
        }
        if (annotation.key().isEmpty()) {
            report.accept("each needs a key template whose placeholder {" + name + "} stands for one id, such as"
                    + " key = \"price-{" + name + "}\"");
        }
        for (String[] attribute : new String[][] {{"refreshAfter", annotation.refreshAfter()},
                {"staleIfError", annotation.staleIfError()}}) {
            if (!attribute[1].isEmpty()) {
                report.accept(attribute[0] + " is not available for a read of many keys (each); remove it, or read"
                        + " one key per call");
            }
        }
        Class<?> result = method.getReturnType();
        java.lang.reflect.Type generic = method.getGenericReturnType();
        java.lang.reflect.Type[] arguments = generic instanceof java.lang.reflect.ParameterizedType parameterized
                ? parameterized.getActualTypeArguments() : new java.lang.reflect.Type[0];
        String idOf = annotation.idOf();
        if (result == java.util.Map.class) {
            if (!idOf.isEmpty()) {
                report.accept("idOf = \"" + idOf + "\": a Map result is matched to its ids by its keys; remove idOf");
            }
            return new PerElement(index, setOfIds, PerElement.Result.MAP, null,
                    arguments.length == 2 ? arguments[1] : Object.class);
        }
        if (result != java.util.List.class && result != java.util.Collection.class && result != java.util.Set.class) {
            report.accept("with each, the method must return a Map of values by id, or a List, Set or Collection of"
                    + " values that carry their id (named by idOf); it returns " + generic.getTypeName());
            return null;
        }
        java.lang.reflect.Type value = arguments.length == 1 ? arguments[0] : Object.class;
        Class<?> valueClass = value instanceof Class<?> c ? c
                : value instanceof java.lang.reflect.ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
        if (idOf.isEmpty()) {
            report.accept("the result " + generic.getTypeName() + " cannot be matched to its ids: return a Map of "
                    + valueClass.getSimpleName() + " by id, or name the property of " + valueClass.getSimpleName()
                    + " that holds its id, such as idOf = \"id\"");
            return null;
        }
        java.util.function.Function<Object, Object> reader = KeyTemplate.property(valueClass, idOf,
                problem -> report.accept("idOf = \"" + idOf + "\": " + problem));
        if (reader == null || problems.size() != problemsBefore) {
            return null;
        }
        return new PerElement(index, setOfIds, result == java.util.Set.class ? PerElement.Result.SET
                : PerElement.Result.LIST, reader, value);
    }

    /** The element type of a collection parameter, or {@code Object} when its declaration does not say. */
    private static Class<?> elementType(Method method, int index) {
        java.lang.reflect.Type type = method.getParameters()[index].getParameterizedType();
        if (type instanceof java.lang.reflect.ParameterizedType parameterized
                && parameterized.getActualTypeArguments().length == 1
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
            return element;
        }
        return Object.class;
    }

    private static Duration duration(String attribute, String text, Duration fallback, Consumer<String> report) {
        if (text.isBlank()) {
            return fallback;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            report.accept(attribute + " " + e.getMessage());
            return fallback;
        }
    }

    /**
     * The preload, or {@code null} if a problem was reported; its entry times are the matching read's, set once
     * all reads are known.
     */
    PreloadOperation preload(Method method, Preloads annotation) {
        Consumer<String> report = reporter(method, "@Preloads(cache = \"" + annotation.cache() + "\", key = \""
                + annotation.key() + "\")");
        int before = problems.size();
        checkCacheName(annotation.cache(), report);
        int modifiers = method.getModifiers();
        if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers)) {
            report.accept("the method must be public and not static: it is called through the bean");
        }
        if (method.getParameterCount() > 0) {
            report.accept("the method must take no parameters: it gives every value of the cache");
        }
        Class<?> result = method.getReturnType();
        java.lang.reflect.Type generic = method.getGenericReturnType();
        java.lang.reflect.Type value = generic instanceof java.lang.reflect.ParameterizedType parameterized
                && parameterized.getActualTypeArguments().length == 1 ? parameterized.getActualTypeArguments()[0]
                : null;
        if (!(java.util.stream.Stream.class == result || Iterable.class.isAssignableFrom(result)) || value == null) {
            report.accept("the method must return a Stream, List or other Iterable of the values, typed (such as"
                    + " Stream<ServiceView>); it returns " + generic.getTypeName());
            return null;
        }
        Class<?> valueClass = value instanceof Class<?> c ? c
                : value instanceof java.lang.reflect.ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
        KeyTemplate key = annotation.key().isEmpty() ? null
                : KeyTemplate.ofValues(annotation.key(), valueClass, report);
        if (annotation.key().isEmpty()) {
            report.accept("the key template is empty; name properties of each value, such as key = \"item-{id}\"");
        }
        return problems.size() == before ? new PreloadOperation(annotation.cache(), key, method, value, null) : null;
    }

    /** Reports a preload whose entries no read of its cache uses, or a second preload of one cache. */
    void preloadProblem(Method method, Preloads annotation, String problem) {
        reporter(method, "@Preloads(cache = \"" + annotation.cache() + "\", key = \"" + annotation.key() + "\")")
                .accept(problem);
    }

    /** The invalidations, or {@code null} if a problem was reported. */
    List<Invalidation> invalidations(Method method, List<Invalidates> annotations) {
        int before = problems.size();
        checkInterceptable(method, reporter(method, "@Invalidates"));
        List<Invalidation> invalidations = new ArrayList<>();
        for (Invalidates annotation : annotations) {
            Consumer<String> report = reporter(method, describe(annotation));
            int first = invalidations.size();
            invalidation(method, annotation, report, invalidations);
            if (!annotation.condition().isEmpty()) {
                Condition condition = Condition.parse("condition", annotation.condition(), method, true,
                        describe(method) + " " + describe(annotation), report);
                for (int i = first; i < invalidations.size(); i++) {
                    invalidations.set(i, invalidations.get(i).when(condition));
                }
            }
        }
        return problems.size() == before ? List.copyOf(invalidations) : null;
    }

    /** Adds what one {@code @Invalidates} drops to {@code invalidations}, reporting its problems. */
    private void invalidation(Method method, Invalidates annotation, Consumer<String> report,
                              List<Invalidation> invalidations) {
        if (annotation.tags().length > 0) {
            invalidationOfTags(method, annotation, report).ifPresent(invalidations::add);
            return;
        }
        checkCacheName(annotation.cache(), report);
        if (annotation.allEntries()) {
            if (!annotation.key().isEmpty()) {
                report.accept("allEntries = true drops the whole cache; leave key empty");
            }
            invalidations.add(Invalidation.allEntries(annotation.cache(), method));
        } else if (annotation.key().isEmpty()) {
            KeyTemplate arguments = KeyTemplate.allParameters(method, true, report);
            if (arguments != null) {
                invalidations.add(Invalidation.sameArgumentsAsReads(annotation.cache(), arguments, method));
            }
        } else {
            KeyTemplate key = KeyTemplate.parse(annotation.key(), method, report);
            if (key != null) {
                invalidations.add(Invalidation.of(annotation.cache(), key, method));
            }
        }
    }

    /**
     * An {@code @Invalidates(tags = ...)}: tags drop entries of every cache, so it names neither a cache nor keys
     * (another {@code @Invalidates} can).
     */
    private java.util.Optional<Invalidation> invalidationOfTags(Method method, Invalidates annotation,
                                                                Consumer<String> report) {
        if (!annotation.cache().isEmpty() || !annotation.key().isEmpty() || annotation.allEntries()) {
            report.accept("tags drop the entries that carry them in every cache, so an @Invalidates with tags names"
                    + " no cache, key or allEntries; put those in an @Invalidates of their own");
        }
        List<KeyTemplate> tags = new ArrayList<>();
        for (String tag : annotation.tags()) {
            if (tag.isBlank()) {
                report.accept("a tag is blank; write its template, such as tags = \"service-{id}\"");
                continue;
            }
            KeyTemplate template = KeyTemplate.parse(tag, method,
                    problem -> report.accept("tag \"" + tag + "\": " + problem));
            if (template != null) {
                tags.add(template);
            }
        }
        return tags.size() == annotation.tags().length ? java.util.Optional.of(Invalidation.ofTags(tags, method))
                : java.util.Optional.empty();
    }

    /** The memo operation, or {@code null} if a problem was reported. */
    MemoOperation memo(Method method) {
        Consumer<String> report = reporter(method, "@RequestCached");
        int before = problems.size();
        checkInterceptable(method, report);
        checkResult(method, report);
        KeyTemplate key = KeyTemplate.allParameters(method, false, report);
        return problems.size() == before ? new MemoOperation(describe(method), key) : null;
    }

    /** Reports a method that carries both {@code @CachedRead} and {@code @RequestCached}. */
    void bothReadAndMemo(Method method) {
        reporter(method, "@CachedRead and @RequestCached").accept("a method carries one of them, not both;"
                + " @CachedRead already keeps results in the request layer");
    }

    /** Reports a caching annotation put on a class instead of its methods. */
    void onClass(Class<?> type, String annotation) {
        problems.add(type.getName() + " " + annotation + ": put the annotation on methods, not on the class");
    }

    /** Reports a method the extension never saw (resolved at its first call) that carries no annotation. */
    void notAnnotated(Method method, String annotation) {
        reporter(method, annotation).accept("the interceptor was called, but the method carries no " + annotation);
    }

    static void checkInterceptable(Method method, Consumer<String> report) {
        int modifiers = method.getModifiers();
        if (Modifier.isPrivate(modifiers)) {
            report.accept("the method is private, so its calls are never intercepted; make it public");
        }
        if (Modifier.isStatic(modifiers)) {
            report.accept("the method is static, so its calls are never intercepted");
        }
        if (Modifier.isFinal(modifiers)) {
            report.accept("the method is final, so its calls cannot be intercepted; remove final");
        }
        if (Modifier.isFinal(method.getDeclaringClass().getModifiers())) {
            report.accept("the class is final, so its calls cannot be intercepted; remove final");
        }
    }

    private static void checkResult(Method method, Consumer<String> report) {
        Class<?> result = method.getReturnType();
        if (result == void.class || result == Void.class) {
            report.accept("the method returns void: there is no result to cache");
        } else if (CompletionStage.class.isAssignableFrom(result) || Future.class.isAssignableFrom(result)) {
            report.accept("the method returns " + result.getSimpleName() + ": of asynchronous results, "
                    + (method.isAnnotationPresent(CachedRead.class)
                    ? "@CachedRead caches a CompletionStage or CompletableFuture; declare one of those"
                    : "only @CachedRead caches one (a CompletionStage or CompletableFuture)"));
        }
    }

    /** What a read of an asynchronous result does not offer yet. */
    private static void checkAsync(CachedRead annotation, Consumer<String> report) {
        for (String[] attribute : new String[][] {{"each", annotation.each()},
                {"refreshAfter", annotation.refreshAfter()}, {"staleIfError", annotation.staleIfError()}}) {
            if (!attribute[1].isEmpty()) {
                report.accept(attribute[0] + " is not available for an asynchronous result yet; remove it, or"
                        + " return the value itself");
            }
        }
        if (annotation.trackEntities()) {
            report.accept("trackEntities is not available for an asynchronous result: the entities are loaded on"
                    + " another thread, where the load cannot see them; name tags, or return the value itself");
        }
    }

    static void checkCacheName(String cache, Consumer<String> report) {
        if (cache.isBlank()) {
            report.accept("the cache name is blank");
        } else if (!cache.equals(cache.trim())) {
            report.accept("the cache name '" + cache + "' starts or ends with spaces");
        }
    }

    Consumer<String> reporter(Method method, String annotation) {
        String where = describe(method) + " " + annotation + ": ";
        return problem -> problems.add(where + problem);
    }

    public static String describe(Method method) {
        return method.getDeclaringClass().getName() + "#" + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                        .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String describe(CachedRead annotation) {
        return "@CachedRead(cache = \"" + annotation.cache() + "\""
                + (annotation.key().isEmpty() ? "" : ", key = \"" + annotation.key() + "\"")
                + (annotation.each().isEmpty() ? "" : ", each = \"" + annotation.each() + "\"")
                + (annotation.idOf().isEmpty() ? "" : ", idOf = \"" + annotation.idOf() + "\"")
                + (annotation.ttl().isEmpty() ? "" : ", ttl = \"" + annotation.ttl() + "\"")
                + (annotation.refreshAfter().isEmpty() ? "" : ", refreshAfter = \"" + annotation.refreshAfter() + "\"")
                + (annotation.staleIfError().isEmpty() ? "" : ", staleIfError = \"" + annotation.staleIfError() + "\"")
                + tags(annotation.tags()) + (annotation.trackEntities() ? ", trackEntities = true" : "")
                + (annotation.condition().isEmpty() ? "" : ", condition = \"" + annotation.condition() + "\"")
                + (annotation.unless().isEmpty() ? "" : ", unless = \"" + annotation.unless() + "\"") + ")";
    }

    private static String describe(Invalidates annotation) {
        String condition = annotation.condition().isEmpty() ? ""
                : ", condition = \"" + annotation.condition() + "\"";
        if (annotation.tags().length > 0 && annotation.cache().isEmpty()) {
            return "@Invalidates(" + tags(annotation.tags()).substring(2) + condition + ")";
        }
        return "@Invalidates(cache = \"" + annotation.cache() + "\""
                + (annotation.key().isEmpty() ? "" : ", key = \"" + annotation.key() + "\"")
                + (annotation.allEntries() ? ", allEntries = true" : "") + tags(annotation.tags()) + condition + ")";
    }

    private static String tags(String[] tags) {
        if (tags.length == 0) {
            return "";
        }
        return ", tags = " + (tags.length == 1 ? "\"" + tags[0] + "\""
                : Arrays.stream(tags).map(tag -> "\"" + tag + "\"").collect(Collectors.joining(", ", "{", "}")));
    }

    /** The annotations' simple names, for messages about a class. */
    static String nameOf(Class<?> annotation) {
        return "@" + annotation.getSimpleName();
    }

    static final List<Class<?>> ANNOTATIONS = List.of(CachedRead.class, Invalidates.class, Invalidates.List.class,
            RequestCached.class);
}
