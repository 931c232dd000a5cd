package org.layeredcache.internal.cache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.layeredcache.CacheAdmin;
import org.layeredcache.CacheRecording;
import org.layeredcache.CacheStatistics;
import org.layeredcache.ConsistencyAudit;
import org.layeredcache.internal.layer.EntityDependencies;

import java.util.Set;

/** The {@link CacheAdmin} that users inject: this node's view of the deployment's caches. */
@ApplicationScoped
public class AdminView implements CacheAdmin {

    @Inject
    CacheRegistry registry;

    @Inject
    CacheLayers layers;

    @Override
    public Set<String> cacheNames() {
        return registry.names();
    }

    @Override
    public CacheStatistics statistics(String cache) {
        return registry.cache(cache).layers().counters().snapshot();
    }

    @Override
    public ConsistencyAudit audit(String cache) {
        return registry.cache(cache).layers().counters().audit().snapshot(cache,
                registry.settings(cache).audit().enabled());
    }

    @Override
    public void invalidateAll(String cache) {
        layers.invalidateAll(cache);
    }

    @Override
    public void invalidateEntityType(Class<?> entityType) {
        layers.invalidateTags(EntityDependencies.typeTagsOf(entityType.getName()));
    }

    @Override
    public CacheRecording startRecording() {
        return registry.recordings().start();
    }
}
