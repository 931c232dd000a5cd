package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheResult;

/**
 * Left to the server's own JSR-107 interceptors ({@code layered-cache.jsr107.leave-to-server}): shows what their
 * work leaves in the cluster, which the library's never does.
 */
@ApplicationScoped
public class ServerCachedLookups {

    @Inject
    LoadCounter loads;

    @CacheResult(cacheName = "it-server-standard")
    public String find(@CacheKey long id) {
        loads.ran("server-standard");
        return "server " + id;
    }
}
