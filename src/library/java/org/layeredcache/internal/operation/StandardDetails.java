package org.layeredcache.internal.operation;

import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResult;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * A method with a JSR-107 annotation, as the specification describes it to a {@code CacheResolverFactory} at
 * deployment: the method, its annotations, the caching annotation and the cache's name.
 */
record StandardDetails(Method method, Annotation annotation, String cacheName)
        implements CacheMethodDetails<Annotation> {

    @Override
    public Method getMethod() {
        return method;
    }

    @Override
    public Set<Annotation> getAnnotations() {
        return Set.of(method.getAnnotations());
    }

    @Override
    public Annotation getCacheAnnotation() {
        return annotation;
    }

    @Override
    public String getCacheName() {
        return cacheName;
    }

    /** These details as those of a {@code @CacheResult} method, which its exception cache's resolver is asked for. */
    @SuppressWarnings("unchecked")
    CacheMethodDetails<CacheResult> asResult() {
        return (CacheMethodDetails<CacheResult>) (CacheMethodDetails<?>) this;
    }
}
