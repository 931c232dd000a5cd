package org.layeredcache.jmh;

import jakarta.enterprise.context.ApplicationScoped;

import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheResult;

/**
 * The same item as {@link Items}, cached with the JSR-107 {@code @CacheResult} only: the library serves it through
 * its layers (its near layer answers, as configured). {@link Items}' own {@code @CacheResult} is left to Payara's
 * interceptors, so that both are measured in one run.
 */
@ApplicationScoped
public class StandardItems {

    @CacheResult(cacheName = "bench-standard")
    public Items.Item find(@CacheKey long id) {
        return Items.load(id);
    }
}
