package org.layeredcache.testing;

import org.jboss.weld.environment.se.WeldContainer;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheStatistics;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Small helpers for tests that treat Weld containers as application nodes. */
public final class Nodes {

    private Nodes() {
    }

    public static <T> T bean(WeldContainer node, Class<T> type) {
        return node.select(type).get();
    }

    public static CacheStatistics statistics(WeldContainer node, String cache) {
        return node.select(CacheAdmin.class).get().statistics(cache);
    }

    /** Waits until {@code condition} holds, at most {@code limit}; false if it never did. */
    public static boolean eventually(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
