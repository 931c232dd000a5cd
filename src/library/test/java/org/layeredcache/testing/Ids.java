package org.layeredcache.testing;

import java.util.concurrent.ThreadLocalRandom;

/** Ids no other test (or earlier run against the same cluster) has used: random, positive, well inside a long. */
public final class Ids {

    private Ids() {
    }

    public static long newId() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 40);
    }
}
