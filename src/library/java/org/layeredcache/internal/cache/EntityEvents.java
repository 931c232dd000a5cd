package org.layeredcache.internal.cache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.layeredcache.internal.layer.EntityDependencies;

import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What {@code EntityTracking} reports, carried out: an entity loaded joins the load recorded on its thread; an
 * entity changed has its tag invalidated once the transaction commits, when some cache of the deployment tracks
 * entities. Internal: found by its name.
 */
@ApplicationScoped
@Named("layered-cache.entity-tracking")
public class EntityEvents implements BiConsumer<String, Object> {

    @Inject
    CacheLayers layers;

    @Inject
    CacheRegistry registry;

    @Override
    public void accept(String what, Object entity) {
        if ("loaded".equals(what)) {
            EntityDependencies.loaded(entity);
        } else if ("changed".equals(what) && registry.tracksEntities()) {
            layers.invalidateTagsOfTransaction(Set.of(EntityDependencies.tagOf(entity)));
        }
    }
}
