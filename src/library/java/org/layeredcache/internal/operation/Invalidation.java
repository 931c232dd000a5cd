package org.layeredcache.internal.operation;

import org.layeredcache.internal.condition.Condition;
import org.layeredcache.internal.key.KeyTemplate;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code @Invalidates} of a method, parsed and checked once at deployment: every entry of a cache, or the
 * entries named by key templates.
 *
 * <p>An {@code @Invalidates} without a template names the entries that the cache's template-less reads stored for
 * the same arguments: it starts {@linkplain #sameArgumentsAsReads unresolved} and is
 * {@linkplain #resolve resolved} against the reads of the deployment.
 *
 * @param cache      the cache's name
 * @param allEntries whether every entry of the cache is dropped ({@code keys} is then empty)
 * @param keys       the templates of the entries dropped
 * @param tags       the templates of the tags whose entries, in every cache, are dropped (then {@code cache} is
 *                   empty and {@code keys} too)
 * @param arguments  for an unresolved template-less invalidation, the invalidating method's parameters;
 *                   otherwise {@code null}
 * @param method     the invalidating method, for messages
 * @param condition  whether it happens, decided on the arguments and result after the call ({@code null}: always)
 */
public record Invalidation(String cache, boolean allEntries, List<KeyTemplate> keys, List<KeyTemplate> tags,
                           KeyTemplate arguments, Method method, Condition condition) {

    /** This invalidation, happening only when {@code condition} holds ({@code null}: always). */
    Invalidation when(Condition condition) {
        return new Invalidation(cache, allEntries, keys, tags, arguments, method, condition);
    }

    static Invalidation allEntries(String cache, Method method) {
        return new Invalidation(cache, true, List.of(), List.of(), null, method, null);
    }

    static Invalidation of(String cache, KeyTemplate key, Method method) {
        return new Invalidation(cache, false, List.of(key), List.of(), null, method, null);
    }

    /** The entries of every cache that carry one of these tags. */
    static Invalidation ofTags(List<KeyTemplate> tags, Method method) {
        return new Invalidation("", false, List.of(), List.copyOf(tags), null, method, null);
    }

    /** The tags this invalidation drops, rendered for a call with these arguments. */
    public java.util.Set<String> tagsFor(Object[] arguments) {
        java.util.Set<String> rendered = new java.util.LinkedHashSet<>();
        for (KeyTemplate tag : tags) {
            rendered.add(tag.keyFor(arguments).toString());
        }
        return rendered;
    }

    /** An invalidation without a template, to be resolved against the deployment's reads. */
    static Invalidation sameArgumentsAsReads(String cache, KeyTemplate arguments, Method method) {
        return new Invalidation(cache, false, List.of(), List.of(), arguments, method, null);
    }

    /**
     * This invalidation with its template-less form turned into the keys of every template-less read of the same
     * cache whose parameters match the invalidating method's (same count, each of a compatible type). Without
     * such a read it names no key.
     */
    Invalidation resolve(Iterable<ReadOperation> reads) {
        if (arguments == null) {
            return this;
        }
        List<KeyTemplate> resolved = new ArrayList<>();
        for (ReadOperation read : reads) {
            if (read.cache().equals(cache) && read.templateLess() && sameParameters(read.method(), method)) {
                resolved.add(arguments.under(read.key()));
            }
        }
        return new Invalidation(cache, false, List.copyOf(resolved), List.of(), null, method, condition);
    }

    private static boolean sameParameters(Method read, Method write) {
        Class<?>[] readTypes = read.getParameterTypes();
        Class<?>[] writeTypes = write.getParameterTypes();
        if (readTypes.length != writeTypes.length) {
            return false;
        }
        for (int i = 0; i < readTypes.length; i++) {
            if (!KeyTemplate.valueType(readTypes[i]).isAssignableFrom(KeyTemplate.valueType(writeTypes[i]))) {
                return false;
            }
        }
        return true;
    }
}
