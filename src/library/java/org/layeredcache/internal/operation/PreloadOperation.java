package org.layeredcache.internal.operation;

import org.layeredcache.internal.config.EntryTimes;
import org.layeredcache.internal.key.KeyTemplate;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * What one {@code @Preloads} method does, parsed and checked at deployment.
 *
 * @param cache     the cache it fills
 * @param key       the key template over each value's properties
 * @param method    the method giving the values
 * @param valueType the type of one value
 * @param times     the entry times of the read whose entries it fills (configuration may override them)
 */
public record PreloadOperation(String cache, KeyTemplate key, Method method, Type valueType, EntryTimes times) {

    PreloadOperation with(EntryTimes readTimes) {
        return new PreloadOperation(cache, key, method, valueType, readTimes);
    }
}
