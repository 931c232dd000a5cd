package org.layeredcache.internal.counter;

/**
 * One node's additions to one key of one counter, as the cluster keeps them: under an id of its own (the node's
 * run and a number), the text {@code counter NUL key NUL total}. Only the node that made the entry changes its
 * total, and only upwards in time (a compare-and-set on the text); the flusher persists {@code total} minus what
 * the ledger says is persisted, and removes the entry once it is persisted in full and idle.
 *
 * @param id      the entry's id in the cluster map and in the ledger
 * @param counter the counter's name
 * @param key     the key's text form
 * @param total   the sum of the entry's additions so far
 */
record CounterEntry(String id, String counter, String key, long total) {

    /** The cluster map of entries, id to text. */
    static final String ADDITIONS = "layered-cache-counter-additions";
    /** The cluster map of what the ledger says is persisted of each entry, id to number, for reads of pending sums. */
    static final String PERSISTED = "layered-cache-counter-persisted";

    /** The entry's text in the cluster map. */
    String text() {
        return prefix(counter, key) + total;
    }

    /** What the text of every entry of {@code key} of {@code counter} starts with. */
    static String prefix(String counter, String key) {
        return counter + '\0' + key + '\0';
    }

    /** The entry {@code id} whose text is {@code text}, or {@code null} if the text is not an entry's. */
    static CounterEntry parse(String id, String text) {
        int first = text.indexOf('\0');
        int second = first < 0 ? -1 : text.indexOf('\0', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            return new CounterEntry(id, text.substring(0, first), text.substring(first + 1, second),
                    Long.parseLong(text.substring(second + 1)));
        } catch (NumberFormatException notAnEntry) {
            return null;
        }
    }
}
