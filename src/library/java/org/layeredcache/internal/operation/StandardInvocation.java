package org.layeredcache.internal.operation;

import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyInvocationContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;

/**
 * One call of a method with a JSR-107 annotation, as the specification describes it to a custom
 * {@code CacheKeyGenerator}: the method, its annotations, the cache, the target and the parameters (all, the key
 * parameters, the {@code @CacheValue} one). Built per call, only for operations that name a generator.
 */
final class StandardInvocation implements CacheKeyInvocationContext<Annotation> {

    private final StandardOperation operation;
    private final Object target;
    private final CacheInvocationParameter[] all;
    private final CacheInvocationParameter[] keys;

    StandardInvocation(StandardOperation operation, Object target, Object[] arguments) {
        this.operation = operation;
        this.target = target;
        Method method = operation.method();
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        all = new CacheInvocationParameter[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            all[i] = new Parameter(types[i], arguments[i], Set.of(annotations[i]), i);
        }
        keys = Arrays.stream(operation.keyParameters()).mapToObj(i -> all[i])
                .toArray(CacheInvocationParameter[]::new);
    }

    @Override
    public Object getTarget() {
        return target;
    }

    @Override
    public CacheInvocationParameter[] getAllParameters() {
        return all.clone();
    }

    @Override
    public CacheInvocationParameter[] getKeyParameters() {
        return keys.clone();
    }

    @Override
    public CacheInvocationParameter getValueParameter() {
        return operation.valueParameter() < 0 ? null : all[operation.valueParameter()];
    }

    @Override
    public Method getMethod() {
        return operation.method();
    }

    @Override
    public Set<Annotation> getAnnotations() {
        return Set.of(operation.method().getAnnotations());
    }

    @Override
    public Annotation getCacheAnnotation() {
        return Arrays.stream(operation.method().getAnnotations()).filter(StandardParser::isStandard).findFirst()
                .orElseThrow();
    }

    @Override
    public String getCacheName() {
        return operation.cache();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("a call's details cannot be unwrapped to " + type.getName());
    }

    private record Parameter(Class<?> rawType, Object value, Set<Annotation> annotations, int position)
            implements CacheInvocationParameter {
        @Override
        public Class<?> getRawType() {
            return rawType;
        }

        @Override
        public Object getValue() {
            return value;
        }

        @Override
        public Set<Annotation> getAnnotations() {
            return annotations;
        }

        @Override
        public int getParameterPosition() {
            return position;
        }
    }
}
