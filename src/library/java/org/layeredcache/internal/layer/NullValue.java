package org.layeredcache.internal.layer;

import java.util.Optional;

/**
 * Stands in every layer for a {@code null} or {@code Optional.empty()} result, so that "cached as nothing" differs
 * from "not cached". An enum constant, so it stays one instance after travelling through the cluster.
 */
public enum NullValue {
    INSTANCE;

    /** What a layer stores for a method's result. */
    public static Object wrap(Object result) {
        return result == null ? INSTANCE : result;
    }

    /**
     * The method's result back from what a layer stored (its {@link Tagged tags} left behind); {@code optional}
     * says whether the method returns one.
     */
    public static Object unwrap(Object stored, boolean optional) {
        stored = Tagged.untagged(stored);
        if (optional) {
            return stored == INSTANCE ? Optional.empty() : Optional.of(stored);
        }
        return stored == INSTANCE ? null : stored;
    }
}
