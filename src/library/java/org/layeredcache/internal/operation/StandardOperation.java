package org.layeredcache.internal.operation;

import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.CacheKey;
import org.layeredcache.internal.key.KeyTemplate;

import javax.cache.Cache;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.GeneratedCacheKey;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

/**
 * What one method's JSR-107 annotation does, parsed and checked once at deployment.
 *
 * @param kind             which annotation
 * @param cache            the cache's name: the annotation's, else {@code @CacheDefaults}', else the specification's
 *                         default ({@code com.example.Prices.priceOf(long)})
 * @param key              the key: the {@code @CacheKey} parameters, else all (but the {@code @CacheValue} one);
 *                         {@code null} for {@code @CacheRemoveAll}
 * @param read             for {@code @CacheResult}: the read through the layers
 * @param valueParameter   for {@code @CachePut}: the position of the {@code @CacheValue} parameter, else -1
 * @param afterInvocation  whether a put or removal follows the call (else it precedes it, whatever the outcome)
 * @param skipGet          for {@code @CacheResult}: always call the method and put its value
 * @param exceptionCache   for {@code @CacheResult}: where exceptions are cached, {@code null} for nowhere
 * @param onFailure        which exceptions cause the put or removal ({@code @CachePut}, {@code @CacheRemove...}), or
 *                         are cached ({@code @CacheResult})
 * @param immediate        the specification's timing: puts and removals at once, not after the commit
 * @param method           the annotated method
 * @param keyParameters    the positions of the key parameters
 * @param generator        the application's {@code CacheKeyGenerator}, or {@code null} for the specification's key
 * @param resolvers        the caches the application's {@code CacheResolverFactory} resolves per call, or
 *                         {@code null} for the named ones
 */
public record StandardOperation(Kind kind, String cache, KeyTemplate key, ReadOperation read, int valueParameter,
                                boolean afterInvocation, boolean skipGet, String exceptionCache,
                                ExceptionFilter onFailure, boolean immediate, Method method, int[] keyParameters,
                                CacheKeyGenerator generator, Resolvers resolvers) {

    /**
     * The resolvers an application's {@code CacheResolverFactory} gave at deployment.
     *
     * @param cache      resolves the cache of the results, puts and removals
     * @param exceptions resolves the exception cache, or {@code null} when none is named
     */
    public record Resolvers(CacheResolver cache, CacheResolver exceptions) {
    }

    /**
     * The cache a call of {@code target} with these arguments uses: the name of the cache the application's
     * resolver gives, else the operation's.
     *
     * @throws RuntimeException if the resolver fails or gives no cache
     */
    public String cacheFor(Object target, Object[] arguments) {
        return resolvers == null ? cache : resolved(resolvers.cache(), target, arguments);
    }

    /** As {@link #cacheFor}, for the exception cache; {@code null} when the operation caches no exceptions. */
    public String exceptionCacheFor(Object target, Object[] arguments) {
        return resolvers == null || resolvers.exceptions() == null || exceptionCache == null ? exceptionCache
                : resolved(resolvers.exceptions(), target, arguments);
    }

    private String resolved(CacheResolver resolver, Object target, Object[] arguments) {
        Cache<?, ?> resolved = resolver.resolveCache(new StandardInvocation(this, target, arguments));
        if (resolved == null) {
            throw new IllegalStateException(resolver.getClass().getName() + " resolved no cache for "
                    + OperationParser.describe(method));
        }
        return resolved.getName();
    }

    /** The shape of the keys an application's generator makes: one value, the generated key. */
    static final String GENERATED = "generated({})";

    /**
     * The entry times of every entry the annotations write: the specification has no TTL, so the library's default
     * (24 hours; {@code layered-cache.cache.<cache>.ttl} overrides it).
     */
    public static final EntryTimes TIMES = new EntryTimes(OperationParser.DEFAULT_TTL, Duration.ZERO, Duration.ZERO);

    /** The four annotations. */
    public enum Kind {
        RESULT("@CacheResult"), PUT("@CachePut"), REMOVE("@CacheRemove"), REMOVE_ALL("@CacheRemoveAll");

        private final String annotation;

        Kind(String annotation) {
            this.annotation = annotation;
        }

        @Override
        public String toString() {
            return annotation;
        }
    }

    /**
     * The entry a call of {@code target} with these arguments names: the key parameters' values, or the key the
     * application's generator makes of the call.
     *
     * @throws RuntimeException if a value cannot be read, or the generator fails or gives no key
     */
    public CacheKey keyFor(Object target, Object[] arguments) {
        if (generator == null) {
            return key.keyFor(arguments);
        }
        GeneratedCacheKey generated = generator.generateCacheKey(new StandardInvocation(this, target, arguments));
        if (generated == null) {
            throw new IllegalStateException(generator.getClass().getName() + " generated no key for "
                    + OperationParser.describe(method));
        }
        return CacheKey.of(GENERATED, generated);
    }

    /**
     * Which exceptions count, as the specification decides it: those of {@code include} (all when it is empty and
     * {@code whenBothEmpty} or {@code exclude} is not empty), minus those of {@code exclude}.
     */
    public record ExceptionFilter(List<Class<? extends Throwable>> include, List<Class<? extends Throwable>> exclude,
                                  boolean whenBothEmpty) {

        /** Whether {@code failure} counts. */
        public boolean test(Throwable failure) {
            if (include.isEmpty() && exclude.isEmpty()) {
                return whenBothEmpty;
            }
            boolean included = include.isEmpty() || include.stream().anyMatch(type -> type.isInstance(failure));
            return included && exclude.stream().noneMatch(type -> type.isInstance(failure));
        }
    }
}
