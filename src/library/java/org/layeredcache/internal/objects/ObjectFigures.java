package org.layeredcache.internal.objects;

import java.time.Instant;

/**
 * The store figures of one kind of shared object on the node that stores: stores committed, failures, the last
 * commit and the last failure; shared with the other nodes as text. Thread-safe.
 */
final class ObjectFigures {

    private long stores;
    private long failed;
    private Instant lastStore;
    private String lastError;

    synchronized void stored() {
        stores++;
        lastStore = Instant.now();
        lastError = null;
    }

    synchronized void failed(String error) {
        failed++;
        lastError = error;
    }

    synchronized long stores() {
        return stores;
    }

    synchronized long failedStores() {
        return failed;
    }

    synchronized Instant lastStore() {
        return lastStore;
    }

    synchronized String lastError() {
        return lastError;
    }

    /** The figures as the other nodes read them ({@link #read}). */
    synchronized String text() {
        return stores + "\t" + failed + "\t" + (lastStore == null ? "" : lastStore.toEpochMilli()) + "\t"
                + (lastError == null ? "" : lastError.replace('\t', ' '));
    }

    /** The figures another node shared, or empty ones if the text is not theirs. */
    static ObjectFigures read(String text) {
        ObjectFigures figures = new ObjectFigures();
        String[] parts = text == null ? new String[0] : text.split("\t", -1);
        if (parts.length == 4) {
            try {
                figures.stores = Long.parseLong(parts[0]);
                figures.failed = Long.parseLong(parts[1]);
                figures.lastStore = parts[2].isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(parts[2]));
                figures.lastError = parts[3].isEmpty() ? null : parts[3];
            } catch (NumberFormatException notTheirs) {
                return new ObjectFigures();
            }
        }
        return figures;
    }
}
