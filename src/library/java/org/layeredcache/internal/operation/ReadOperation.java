package org.layeredcache.internal.operation;

import org.layeredcache.internal.condition.Condition;
import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.KeyTemplate;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What one {@code @CachedRead} method does, parsed and checked once at deployment.
 *
 * @param cache        the cache's name
 * @param key          the key template
 * @param tags         the templates of the entry's tags (none: empty)
 * @param trackEntities whether the annotation asks to track the JPA entities the method reads
 * @param times        the annotated TTL, refresh-ahead and fail-safe times (configuration may override them)
 * @param optional     whether the method returns {@code Optional}, stored unwrapped
 * @param templateLess whether the annotation wrote no key template (the key is the method and its arguments)
 * @param method       the annotated method
 * @param each         for a read of many keys ({@code each}): how; {@code null} for a read of one key
 * @param condition    whether a call is cached, on its arguments ({@code null}: always)
 * @param unless       whether a loaded value is kept out of the layers, on the arguments and result ({@code null}:
 *                     never)
 * @param async        whether the method returns a {@code CompletionStage} or {@code CompletableFuture}, whose
 *                     value is what the layers store
 */
public record ReadOperation(String cache, KeyTemplate key, List<KeyTemplate> tags, boolean trackEntities,
                            EntryTimes times, boolean optional, boolean templateLess,
                            Method method, PerElement each, Condition condition, Condition unless,
                            boolean async) {

    /**
     * The type of what the layers store for this read: the declared result, with {@code Optional<T>} as
     * {@code T} and primitives boxed. Two reads that share entries must store the same type.
     */
    Type storedType() {
        if (each != null) {
            return each.valueType();
        }
        Type result = resultType(method);
        if (optional) {
            return result instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[0]
                    : Object.class;
        }
        return result instanceof Class<?> type && type.isPrimitive()
                ? MethodType.methodType(type).wrap().returnType() : result;
    }

    /**
     * The entry's tags for a call with these arguments, rendered ({@code service-42}); an empty array without
     * tags. Two templates that render the same text name the same tag, whatever their placeholders' types.
     *
     * @throws RuntimeException if a placeholder's property cannot be read
     */
    public String[] tagsFor(Object[] arguments) {
        if (tags.isEmpty()) {
            return NO_TAGS;
        }
        String[] rendered = new String[tags.size()];
        for (int i = 0; i < rendered.length; i++) {
            rendered[i] = tags.get(i).keyFor(arguments).toString();
        }
        return rendered;
    }

    private static final String[] NO_TAGS = new String[0];

    /** Where entries of this read live: the cache and the key's shape. */
    String entries() {
        return cache + "\n" + key.shape();
    }

    static boolean isOptional(Method method) {
        Type result = resultType(method);
        return result == Optional.class
                || result instanceof ParameterizedType parameterized && parameterized.getRawType() == Optional.class;
    }

    /** Whether the method's result is asynchronous: a stage whose value the layers store. */
    static boolean isAsync(Method method) {
        return method.getReturnType() == CompletionStage.class || method.getReturnType() == CompletableFuture.class;
    }

    /** The declared result; for an asynchronous method, the type of its stage's value. */
    private static Type resultType(Method method) {
        if (!isAsync(method)) {
            return method.getGenericReturnType();
        }
        return method.getGenericReturnType() instanceof ParameterizedType parameterized
                ? parameterized.getActualTypeArguments()[0] : Object.class;
    }
}
