package org.layeredcache.internal.counter;

/**
 * One node's additions to one key of one counter, as the cluster keeps them: under an id of its own (the node's
 * cluster member id, its run and a number), the text {@code counter NUL key NUL total}. Only the node that made the
 * entry writes its total and removes it (once it is persisted in full and idle); the flusher persists
 * {@code total} minus what the ledger says is persisted, and removes the entries of nodes that left the cluster
 * once they are persisted in full.
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

    /**
     * The first part of the ids of the entries one run of a node makes: its cluster member id, then a random part
     * (nodes that share one member, as in-process tests do, still make different ids).
     */
    static String runOf(String member) {
        return member + "/" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** The cluster member id of the node that made the entry {@code id}. */
    static String memberOf(String id) {
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
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
