package org.layeredcache.internal.layer;

import org.layeredcache.internal.key.CacheKey;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The invalidations of one cache that could not reach the cluster during an outage, kept until it returns, so that
 * nothing dropped meanwhile comes back from the cluster. More than {@value #MAX_KEPT} keys become one invalidation
 * of the whole cache. Thread-safe; {@link #replay} runs one caller at a time.
 */
final class KeptInvalidations {

    static final int MAX_KEPT = 10_000;

    /** Carries out one kept invalidation: drops it from the cluster and tells the other nodes. */
    interface Replay {
        void key(CacheKey key);

        void all();
    }

    private final Set<CacheKey> keys = ConcurrentHashMap.newKeySet();
    private volatile boolean all;

    /** Keys kept, or {@code -1} when every entry is to be dropped. */
    int size() {
        return all ? -1 : keys.size();
    }

    boolean isEmpty() {
        return !all && keys.isEmpty();
    }

    void keep(CacheKey key) {
        if (keys.size() >= MAX_KEPT) {
            keepAll();
        } else if (!all) {
            keys.add(key);
        }
    }

    void keepAll() {
        all = true;
        keys.clear();
    }

    /**
     * Carries out everything kept, the whole cache first; what was carried out is forgotten.
     *
     * @throws RuntimeException whatever {@code replay} throws; what was not carried out stays kept
     */
    synchronized void replay(Replay replay) {
        if (all) {
            replay.all();
            keys.clear();
            all = false;
        }
        for (Iterator<CacheKey> kept = keys.iterator(); kept.hasNext(); ) {
            replay.key(kept.next());
            kept.remove();
        }
    }
}
