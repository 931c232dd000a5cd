package org.layeredcache.internal.operation;

import org.layeredcache.internal.key.CacheKey;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a {@code @CachedRead(each = ...)} method reads many entries: which parameter holds the ids, how the method's
 * result is matched to them, and how the answer is put together in the caller's order. Checked at deployment
 * ({@link OperationParser}); immutable.
 *
 * @param parameter the index of the collection parameter
 * @param setOfIds  whether the method takes a {@code Set} of ids (else a {@code List} or {@code Collection})
 * @param result    the kind of result
 * @param idOf      for a collection result: reads an element's id
 * @param valueType the type of one element's value: what the entries store
 */
public record PerElement(int parameter, boolean setOfIds, Result result, Function<Object, Object> idOf, Type valueType) {

    /** What the method returns. */
    enum Result { MAP, LIST, SET }

    /** The ids to call the method with, in a collection of the parameter's kind. */
    public Collection<Object> idsToLoad(List<Object> ids) {
        return setOfIds ? new LinkedHashSet<>(ids) : new ArrayList<>(ids);
    }

    /**
     * The method's result as values by key: a map's entries by their keys' ids, a collection's elements by their
     * {@link #idOf} ids; {@code keyOf} turns an id into its key. Values of keys not asked for are left out.
     */
    public Map<CacheKey, Object> byKey(Object loaded, Function<Object, CacheKey> keyOf, Set<CacheKey> asked) {
        Map<CacheKey, Object> values = new HashMap<>();
        if (loaded instanceof Map<?, ?> map) {
            map.forEach((id, value) -> put(values, keyOf.apply(id), value, asked));
        } else if (loaded instanceof Collection<?> elements) {
            for (Object element : elements) {
                if (element != null) {
                    put(values, keyOf.apply(idOf.apply(element)), element, asked);
                }
            }
        }
        return values;
    }

    private static void put(Map<CacheKey, Object> values, CacheKey key, Object value, Set<CacheKey> asked) {
        if (asked.contains(key)) {
            values.put(key, value);
        }
    }

    /** The answer: the ids' values in the caller's order ({@code keys} parallel to {@code ids}); no value, no place. */
    public Object answer(List<Object> ids, List<CacheKey> keys, Map<CacheKey, Object> values) {
        if (result == Result.MAP) {
            Map<Object, Object> answer = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                Object value = values.get(keys.get(i));
                if (value != null) {
                    answer.putIfAbsent(ids.get(i), value);
                }
            }
            return answer;
        }
        Collection<Object> answer = result == Result.SET ? new LinkedHashSet<>() : new ArrayList<>(ids.size());
        for (CacheKey key : keys) {
            Object value = values.get(key);
            if (value != null) {
                answer.add(value);
            }
        }
        return answer;
    }
}
