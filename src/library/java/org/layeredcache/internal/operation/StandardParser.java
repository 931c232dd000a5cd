package org.layeredcache.internal.operation;

import jakarta.enterprise.inject.spi.AnnotatedMethod;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;
import org.layeredcache.RequestCached;
import org.layeredcache.internal.key.KeyTemplate;

import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Turns the JSR-107 caching annotations of one method into a {@link StandardOperation}, with the meaning the
 * specification gives them (cache names from the annotation, {@code @CacheDefaults} or the method; keys from the
 * {@code @CacheKey} parameters or all of them; {@code @CacheValue}; the exception filters), and reports what the
 * layers do not offer in the deployment's one message. Not thread-safe: one per deployment.
 */
final class StandardParser {

    static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(CacheResult.class, CachePut.class,
            CacheRemove.class, CacheRemoveAll.class);

    private final OperationParser parser;
    private final boolean immediate;
    private boolean resolvesLate;

    /**
     * @param immediate the specification's timing (puts and removals at once) instead of after the commit
     */
    StandardParser(OperationParser parser, boolean immediate) {
        this.parser = parser;
        this.immediate = immediate;
    }

    /** Whether {@code annotation} is one of the JSR-107 caching annotations. */
    static boolean isStandard(Annotation annotation) {
        return ANNOTATIONS.contains(annotation.annotationType());
    }

    /** Whether the method carries one of them. */
    static boolean annotated(AnnotatedMethod<?> method) {
        return method.getAnnotations().stream().anyMatch(StandardParser::isStandard);
    }

    /** The operation of a method that carries one of them, or {@code null} if a problem was reported. */
    StandardOperation parse(Method method) {
        List<Annotation> found = Arrays.stream(method.getAnnotations()).filter(StandardParser::isStandard).toList();
        Annotation annotation = found.get(0);
        Consumer<String> report = parser.reporter(method, "@" + annotation.annotationType().getSimpleName());
        int before = parser.problems().size();
        if (found.size() > 1) {
            report.accept("the method carries " + found.stream().map(a -> "@" + a.annotationType().getSimpleName())
                    .collect(Collectors.joining(" and ")) + "; the specification allows one of them per method");
        }
        for (Class<? extends Annotation> ours : List.of(CachedRead.class, Invalidates.class, Invalidates.List.class,
                RequestCached.class)) {
            if (method.isAnnotationPresent(ours)) {
                report.accept("the method carries @" + ours.getSimpleName() + " too; use one kind of annotation per"
                        + " method");
            }
        }
        OperationParser.checkInterceptable(method, report);
        CacheDefaults defaults = method.getDeclaringClass().getAnnotation(CacheDefaults.class);
        StandardOperation operation;
        if (annotation instanceof CacheResult result) {
            operation = result(method, result, defaults, report);
        } else if (annotation instanceof CachePut put) {
            operation = put(method, put, defaults, report);
        } else if (annotation instanceof CacheRemove remove) {
            String cache = cacheName(remove.cacheName(), defaults, method, report);
            StandardOperation.Resolvers resolvers = resolvers(remove.cacheResolverFactory(), defaults,
                    new StandardDetails(method, remove, cache), null, report);
            CacheKeyGenerator generator = generator(remove.cacheKeyGenerator(), defaults, report);
            int[] keyParameters = keyParameters(method, -1);
            operation = new StandardOperation(StandardOperation.Kind.REMOVE, cache,
                    key(method, keyParameters, generator, report), null, -1, remove.afterInvocation(), false, null,
                    filter(remove.evictFor(), remove.noEvictFor(), false), immediate, method, keyParameters,
                    generator, resolvers);
        } else {
            CacheRemoveAll all = (CacheRemoveAll) annotation;
            String cache = cacheName(all.cacheName(), defaults, method, report);
            StandardOperation.Resolvers resolvers = resolvers(all.cacheResolverFactory(), defaults,
                    new StandardDetails(method, all, cache), null, report);
            operation = new StandardOperation(StandardOperation.Kind.REMOVE_ALL, cache, null, null, -1,
                    all.afterInvocation(), false, null, filter(all.evictFor(), all.noEvictFor(), false),
                    immediate, method, new int[0], null, resolvers);
        }
        return parser.problems().size() == before ? operation : null;
    }

    private StandardOperation result(Method method, CacheResult result, CacheDefaults defaults,
                                     Consumer<String> report) {
        String cache = cacheName(result.cacheName(), defaults, method, report);
        CacheKeyGenerator generator = generator(result.cacheKeyGenerator(), defaults, report);
        Class<?> type = method.getReturnType();
        if (type == void.class || type == Void.class) {
            report.accept("the method returns void: there is no result to cache");
        } else if (CompletionStage.class.isAssignableFrom(type) || Future.class.isAssignableFrom(type)) {
            report.accept("the method returns " + type.getSimpleName() + ": asynchronous results are cached by"
                    + " @CachedRead, not through @CacheResult");
        }
        String exceptionCache = result.exceptionCacheName().isEmpty() ? null : result.exceptionCacheName();
        if (cache.equals(exceptionCache)) {
            report.accept("exceptionCacheName is the cache of the results ('" + cache + "'); name a cache of its own");
        }
        int[] keyParameters = keyParameters(method, -1);
        KeyTemplate key = key(method, keyParameters, generator, report);
        StandardOperation.Resolvers resolvers = resolvers(result.cacheResolverFactory(), defaults,
                new StandardDetails(method, result, cache), exceptionCache, report);
        ReadOperation read = key == null ? null : new ReadOperation(cache, key, List.of(), false,
                StandardOperation.TIMES,
                ReadOperation.isOptional(method), false, method, null, null, null, false);
        return new StandardOperation(StandardOperation.Kind.RESULT, cache, key, read, -1, true, result.skipGet(),
                exceptionCache, filter(result.cachedExceptions(), result.nonCachedExceptions(), true), immediate,
                method, keyParameters, generator, resolvers);
    }

    private StandardOperation put(Method method, CachePut put, CacheDefaults defaults, Consumer<String> report) {
        String cache = cacheName(put.cacheName(), defaults, method, report);
        StandardOperation.Resolvers resolvers = resolvers(put.cacheResolverFactory(), defaults,
                new StandardDetails(method, put, cache), null, report);
        CacheKeyGenerator generator = generator(put.cacheKeyGenerator(), defaults, report);
        Parameter[] parameters = method.getParameters();
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].isAnnotationPresent(CacheValue.class)) {
                values.add(i);
            }
        }
        if (values.size() != 1) {
            report.accept(values.isEmpty() ? "no parameter is marked @CacheValue; mark the one whose value is put"
                    : values.size() + " parameters are marked @CacheValue; mark only the one whose value is put");
        }
        int value = values.isEmpty() ? -1 : values.get(0);
        int[] keyParameters = keyParameters(method, value);
        return new StandardOperation(StandardOperation.Kind.PUT, cache, key(method, keyParameters, generator, report),
                null, value, put.afterInvocation(), false, null, filter(put.cacheFor(), put.noCacheFor(), false),
                immediate, method, keyParameters, generator, resolvers);
    }

    /**
     * The specification's cache name: the annotation's, else {@code @CacheDefaults}', else
     * {@code fully.qualified.Class.method(fully.qualified.ParameterType, ...)}.
     */
    static String cacheName(String named, CacheDefaults defaults, Method method, Consumer<String> report) {
        if (!named.isEmpty()) {
            OperationParser.checkCacheName(named, report);
            return named;
        }
        if (defaults != null && !defaults.cacheName().isEmpty()) {
            OperationParser.checkCacheName(defaults.cacheName(), report);
            return defaults.cacheName();
        }
        return method.getDeclaringClass().getName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getTypeName)
                        .collect(Collectors.joining(",", "(", ")"));
    }

    /** The key parameters: those marked {@code @CacheKey}, else every one but the {@code @CacheValue} one. */
    private static int[] keyParameters(Method method, int valueParameter) {
        Parameter[] parameters = method.getParameters();
        int[] marked = IntStream.range(0, parameters.length)
                .filter(i -> parameters[i].isAnnotationPresent(CacheKey.class)).toArray();
        return marked.length > 0 ? marked
                : IntStream.range(0, parameters.length).filter(i -> i != valueParameter).toArray();
    }

    /**
     * The key template of the key parameters; with an application's generator, which makes the keys itself, one
     * that stands for them (its parameters need not travel to the cluster, the generated key does).
     */
    private static KeyTemplate key(Method method, int[] keyParameters, CacheKeyGenerator generator,
                                   Consumer<String> report) {
        return KeyTemplate.ofParameters(method, generator == null ? keyParameters : new int[0], report);
    }

    /**
     * The application's key generator (the annotation's, else {@code @CacheDefaults}'), created once through its
     * constructor without parameters; {@code null} for the specification's key.
     */
    private static CacheKeyGenerator generator(Class<? extends CacheKeyGenerator> named, CacheDefaults defaults,
                                               Consumer<String> report) {
        Class<? extends CacheKeyGenerator> type = named != CacheKeyGenerator.class ? named
                : defaults != null && defaults.cacheKeyGenerator() != CacheKeyGenerator.class
                        ? defaults.cacheKeyGenerator() : null;
        if (type == null) {
            return null;
        }
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            report.accept("cacheKeyGenerator " + type.getName() + " cannot be created (" + e
                    + "): give it a public constructor without parameters");
            return null;
        }
    }

    /**
     * The application's cache resolvers (the annotation's {@code CacheResolverFactory}, else
     * {@code @CacheDefaults}'), asked once for this method; {@code null} for the caches named.
     */
    private StandardOperation.Resolvers resolvers(Class<? extends CacheResolverFactory> named, CacheDefaults defaults,
                                                  StandardDetails details, String exceptionCache,
                                                  Consumer<String> report) {
        Class<? extends CacheResolverFactory> type = named != CacheResolverFactory.class ? named
                : defaults != null && defaults.cacheResolverFactory() != CacheResolverFactory.class
                        ? defaults.cacheResolverFactory() : null;
        if (type == null) {
            return null;
        }
        try {
            CacheResolverFactory factory = type.getConstructor().newInstance();
            CacheResolver cache = factory.getCacheResolver(details);
            CacheResolver exceptions = exceptionCache == null ? null : factory.getExceptionCacheResolver(
                    new StandardDetails(details.method(), details.annotation(), exceptionCache).asResult());
            if (cache == null || exceptionCache != null && exceptions == null) {
                report.accept("cacheResolverFactory " + type.getName() + " gave no cache resolver for it");
                return null;
            }
            resolvesLate = true;
            return new StandardOperation.Resolvers(cache, exceptions);
        } catch (ReflectiveOperationException | RuntimeException e) {
            report.accept("cacheResolverFactory " + type.getName() + " cannot be created or asked (" + e
                    + "): give it a public constructor without parameters");
            return null;
        }
    }

    /** Whether some method's caches are resolved per call, so that their names are known only at run time. */
    boolean resolvesLate() {
        return resolvesLate;
    }

    private static StandardOperation.ExceptionFilter filter(Class<? extends Throwable>[] include,
                                                            Class<? extends Throwable>[] exclude,
                                                            boolean whenBothEmpty) {
        return new StandardOperation.ExceptionFilter(List.of(include), List.of(exclude), whenBothEmpty);
    }
}
