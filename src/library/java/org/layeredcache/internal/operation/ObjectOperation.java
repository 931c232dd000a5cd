package org.layeredcache.internal.operation;

import java.lang.reflect.Method;

/**
 * One kind of shared object of the deployment, as its annotations declare it: the method that stores a batch, the
 * one that loads one object, and the type of its keys.
 */
public record ObjectOperation(String name, Method store, Method load, Class<?> keyType) {

    /** The key's text form, as the cluster keeps it. */
    public static String text(Object key) {
        return String.valueOf(key);
    }

    /** The key of this kind whose text form is {@code text}. */
    public Object key(String text) {
        return BackgroundChecks.key(keyType, text);
    }

    /** Whether {@code key} is of the kind's key type (a boxed primitive counts as its box). */
    public boolean accepts(Object key) {
        return keyType.isInstance(key);
    }
}
