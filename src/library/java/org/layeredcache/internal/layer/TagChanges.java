package org.layeredcache.internal.layer;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The last tags this node saw change (its own invalidations and other nodes' messages), each with a sequence
 * number: a hit that found an entry's tags current can trust that while the sequence stays the same, and a load
 * can ask which of its tags changed while it ran. Keeps the last {@value #KEPT}. Thread-safe.
 */
final class TagChanges {

    private static final int KEPT = 10_000;

    private final ArrayDeque<Map.Entry<Long, String>> changes = new ArrayDeque<>();
    private volatile long sequence;

    /** How many tag changes this node has seen: a mark for {@link #since}. */
    long sequence() {
        return sequence;
    }

    synchronized void add(Collection<String> tags) {
        for (String tag : tags) {
            changes.addLast(Map.entry(++sequence, tag));
            if (changes.size() > KEPT) {
                changes.removeFirst();
            }
        }
    }

    /** Any tag may have changed (messages were lost): from now on, every tag counts as changed since any mark. */
    synchronized void everything() {
        changes.clear();
        sequence++;
    }

    /**
     * Which of {@code tags} changed after {@code since} (a {@link #sequence()}); all of them when too many changes
     * came since to tell.
     */
    synchronized Set<String> since(long since, Collection<String> tags) {
        if (sequence == since || tags.isEmpty()) {
            return Set.of();
        }
        if (changes.isEmpty() || changes.peekFirst().getKey() > since + 1) {
            return new HashSet<>(tags);
        }
        Set<String> changed = new HashSet<>();
        for (Iterator<Map.Entry<Long, String>> last = changes.descendingIterator(); last.hasNext(); ) {
            Map.Entry<Long, String> change = last.next();
            if (change.getKey() <= since) {
                break;
            }
            if (tags.contains(change.getValue())) {
                changed.add(change.getValue());
            }
        }
        return changed;
    }
}
