package org.layeredcache.internal.cluster;

import java.io.ObjectInputFilter;

/**
 * The shape both of the library's deserialisation filters share: a graph over the caps is rejected; then an
 * optional first opinion; then each class (an array by its component type, primitives always) is allowed or
 * rejected by the subclass's rule. Immutable and thread-safe.
 */
abstract class ClassFilter implements ObjectInputFilter {

    private final long maxDepth;
    private final long maxReferences;
    private final long maxArrayLength;
    private final long maxBytes;

    ClassFilter(long maxDepth, long maxReferences, long maxArrayLength, long maxBytes) {
        this.maxDepth = maxDepth;
        this.maxReferences = maxReferences;
        this.maxArrayLength = maxArrayLength;
        this.maxBytes = maxBytes;
    }

    @Override
    public final Status checkInput(FilterInfo info) {
        if (info.depth() > maxDepth || info.references() > maxReferences || info.arrayLength() > maxArrayLength
                || info.streamBytes() > maxBytes) {
            return Status.REJECTED;
        }
        Status first = firstOpinion(info);
        if (first != Status.UNDECIDED) {
            return first;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.ALLOWED;                     // a check of the caps alone, passed above
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        return type.isPrimitive() || allowed(type) ? Status.ALLOWED : Status.REJECTED;
    }

    /**
     * Whether instances of {@code type} may be read, asked outside a Java serialization stream (no caps apply):
     * the first opinion, then the class rule, as {@link #checkInput} asks them for a class in a stream.
     */
    final boolean admits(Class<?> type) {
        return checkInput(new OneClass(type)) == Status.ALLOWED;
    }

    /** The filter's view of a single class, outside any stream: depth 1, one reference, no array, no bytes. */
    private record OneClass(Class<?> serialClass) implements FilterInfo {
        @Override
        public long arrayLength() {
            return -1;
        }

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 1;
        }

        @Override
        public long streamBytes() {
            return 0;
        }
    }

    /** Asked after the caps and before the class rule; {@code UNDECIDED} leaves it to the rule. */
    Status firstOpinion(FilterInfo info) {
        return Status.UNDECIDED;
    }

    /** Whether instances of this (non-array, non-primitive) class may be read. */
    abstract boolean allowed(Class<?> type);
}
