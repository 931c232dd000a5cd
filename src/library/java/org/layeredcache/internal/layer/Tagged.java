package org.layeredcache.internal.layer;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The stored form of a value whose read carries tags: the value (as {@link NullValue} wraps it), its tags, and
 * each tag's version when the load began. It travels with the value through every layer and to every node;
 * {@link TagVersions#current} tells whether a tag was invalidated since. Immutable.
 *
 * @param value    the stored form of the method's result
 * @param tags     the entry's tags, rendered ({@code service-42})
 * @param versions each tag's version when the load that built the value began
 */
public record Tagged(Object value, String[] tags, long[] versions) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The stored form without its tags: {@code stored} itself when it carries none. */
    public static Object untagged(Object stored) {
        return stored instanceof Tagged tagged ? tagged.value() : stored;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tagged that && value.equals(that.value) && Arrays.equals(tags, that.tags)
                && Arrays.equals(versions, that.versions);
    }

    @Override
    public int hashCode() {
        return value.hashCode() * 31 + Arrays.hashCode(tags);
    }

    @Override
    public String toString() {
        return value + " tagged " + Arrays.toString(tags);
    }
}
