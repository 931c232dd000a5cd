package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts how often each test method body really ran, so that hits and misses are proven. */
@ApplicationScoped
public class LoadCounter {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    public void ran(String method) {
        counts.computeIfAbsent(method, name -> new AtomicInteger()).incrementAndGet();
    }

    public int runs(String method) {
        AtomicInteger count = counts.get(method);
        return count == null ? 0 : count.get();
    }
}
