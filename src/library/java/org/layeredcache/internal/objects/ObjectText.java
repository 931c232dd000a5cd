package org.layeredcache.internal.objects;

import org.layeredcache.internal.cluster.ClusterCodec;

import java.util.Base64;

/**
 * The text forms the cluster keeps of shared objects: an object under {@code name NUL key} as
 * {@code version:writtenAt:value} (the value serialized by the {@link ClusterCodec}, so that it is read back only
 * through the deserialisation filter; empty for {@code null}), and a change mark as
 * {@code name NUL key NUL version NUL markedAt} under an id of its own. Stateless.
 */
final class ObjectText {

    /** The cluster map of objects, id to text. */
    static final String OBJECTS = "layered-cache-objects";
    /** The cluster map of change marks, mark id to text: what is changed and not persisted yet. */
    static final String MARKS = "layered-cache-object-marks";
    /** The cluster map of each kind's figures, as the storing node shares them. */
    static final String FIGURES = "layered-cache-object-figures";

    private ObjectText() {
    }

    /** An object as the cluster holds it. */
    record Stored(long version, long writtenAt, Object value) {
    }

    /** A change mark: a write of {@code version} of the object was about to be made at {@code markedAt}. */
    record Mark(String name, String key, long version, long markedAt) {

        String id() {
            return ObjectText.id(name, key);
        }
    }

    static String id(String name, String key) {
        return name + '\0' + key;
    }

    static String stored(long version, long writtenAt, Object value) {
        return version + ":" + writtenAt + ":"
                + (value == null ? "" : Base64.getEncoder().encodeToString(ClusterCodec.value(value)));
    }

    /**
     * The object that {@code text} holds.
     *
     * @throws ClusterCodec.UnreadableEntryException if its value cannot be read (or the filter refuses it)
     */
    static Stored parse(String text, ClusterCodec codec) {
        int first = text.indexOf(':');
        int second = text.indexOf(':', first + 1);
        if (first < 0 || second < 0) {
            throw new ClusterCodec.UnreadableEntryException("a shared object's text is malformed", null);
        }
        String value = text.substring(second + 1);
        try {
            return new Stored(Long.parseLong(text.substring(0, first)),
                    Long.parseLong(text.substring(first + 1, second)),
                    value.isEmpty() ? null : codec.read(Base64.getDecoder().decode(value)));
        } catch (IllegalArgumentException malformed) {
            throw new ClusterCodec.UnreadableEntryException("a shared object's text is malformed: " + malformed,
                    malformed);
        }
    }

    static String mark(String name, String key, long version, long markedAt) {
        return name + '\0' + key + '\0' + version + '\0' + markedAt;
    }

    /** The mark {@code text} holds, or {@code null} if it is not a mark's text. */
    static Mark parseMark(String text) {
        String[] parts = text.split("\0", -1);
        if (parts.length != 4) {
            return null;
        }
        try {
            return new Mark(parts[0], parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
        } catch (NumberFormatException notAMark) {
            return null;
        }
    }
}
