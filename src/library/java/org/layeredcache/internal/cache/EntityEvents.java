package org.layeredcache.internal.cache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.layeredcache.internal.layer.EntityDependencies;

import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What {@code EntityTracking} and {@code EntityQueryTracking} report, carried out: an entity loaded, or a query of
 * an entity type, joins the load recorded on its thread; an entity changed has its tag invalidated once the
 * transaction commits, a new or removed one also its type's query tag, when some cache of the deployment tracks
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
        switch (what) {
            case "loaded" -> EntityDependencies.loaded(entity);
            case "queried" -> EntityDependencies.queried((Class<?>) entity);
            case "changed" -> changed(Set.of(EntityDependencies.tagOf(entity)));
            case "removed" -> changed(Set.of(EntityDependencies.tagOf(entity),
                    EntityDependencies.queryTagOf(entity.getClass().getName())));
            case "created" -> changed(Set.of(EntityDependencies.queryTagOf(entity.getClass().getName())));
            default -> throw new IllegalArgumentException("not an entity event: " + what);
        }
    }

    /** Entities changed: their tags are invalidated after the commit, when some cache tracks entities. */
    private void changed(Set<String> tags) {
        if (registry.tracksEntities()) {
            layers.invalidateTagsOfTransaction(tags);
        }
    }
}
