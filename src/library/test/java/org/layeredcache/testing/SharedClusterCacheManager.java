package org.layeredcache.testing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import javax.cache.CacheManager;

/** Offers the shared embedded member's JCache manager as the server would offer its own. */
public class SharedClusterCacheManager {

    @Produces
    @Singleton
    CacheManager cacheManager() {
        return EmbeddedHazelcast.sharedCacheManager();
    }
}
