package org.layeredcache.internal.layer;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The stored form of a value whose read carries tags: the value (as {@link NullValue} wraps it), its tags, and
 * each tag's version when the load began. It travels with the value through every layer and to every node;
 * {@link TagVersions#current} tells whether a tag was invalidated since, and remembers on this node for a moment
 * that it was not (so that a hit does not look every tag up again while nothing changed). Immutable but for that
 * memo, which is not serialized.
 */
public final class Tagged implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Object value;
    private final String[] tags;
    private final long[] versions;
    /** The tag change sequence of this node at which the tags were last found current, and when. */
    private transient volatile long checkedSequence = -1;
    private transient volatile long checkedAtMillis;

    /**
     * @param value    the stored form of the method's result
     * @param tags     the entry's tags, rendered ({@code service-42})
     * @param versions each tag's version when the load that built the value began
     */
    public Tagged(Object value, String[] tags, long[] versions) {
        this.value = value;
        this.tags = tags;
        this.versions = versions;
    }

    /** The stored form without its tags: {@code stored} itself when it carries none. */
    public static Object untagged(Object stored) {
        return stored instanceof Tagged tagged ? tagged.value : stored;
    }

    public Object value() {
        return value;
    }

    public String[] tags() {
        return tags;
    }

    public long[] versions() {
        return versions;
    }

    /** Whether the tags were found current at {@code sequence} less than {@code withinMillis} before {@code now}. */
    boolean checked(long sequence, long now, long withinMillis) {
        return checkedSequence == sequence && now - checkedAtMillis < withinMillis;
    }

    void rememberChecked(long sequence, long now) {
        checkedAtMillis = now;
        checkedSequence = sequence;
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
