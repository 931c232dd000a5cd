package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/** Cached with the JSR-107 annotations only: the library's layers serve it, not the server's interceptors. */
@ApplicationScoped
@CacheDefaults(cacheName = "it-standard")
public class StandardLookups {

    @Inject
    LoadCounter loads;

    @CacheResult
    public String find(@CacheKey long id) {
        loads.ran("standard");
        return "standard " + id + " #" + loads.runs("standard");
    }

    @CachePut
    public void save(long id, @CacheValue String value) {
        // the annotation is the work
    }

    @CacheRemove
    public void delete(long id) {
        // the annotation is the work
    }
}
