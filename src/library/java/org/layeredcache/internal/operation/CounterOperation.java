package org.layeredcache.internal.operation;

import java.lang.reflect.Method;

/**
 * One counter of the deployment, as its annotations declare it: the method that persists its additions, the one
 * that reads its persisted value (or {@code null}), the type of its keys, whether additions may be negative and
 * whether an addition waits until the cluster holds it.
 */
public record CounterOperation(String name, Method flush, Method read, Class<?> keyType, boolean negative,
                               boolean awaitCluster) {

    /** The key types a counter may have: they travel through the cluster and the ledger as text. */
    static final java.util.List<Class<?>> KEY_TYPES = java.util.List.of(String.class, Long.class, Integer.class);

    /** The key's text form, as the cluster and the ledger keep it. */
    public static String text(Object key) {
        return String.valueOf(key);
    }

    /** The key of this counter whose text form is {@code text}. */
    public Object key(String text) {
        return BackgroundChecks.key(keyType, text);
    }

    /** Whether {@code key} is of the counter's key type (a boxed primitive counts as its box). */
    public boolean accepts(Object key) {
        return keyType.isInstance(key);
    }
}
