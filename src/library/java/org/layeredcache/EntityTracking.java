package org.layeredcache;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;

import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JPA entity listener that lets the caches see which entities a value was built from and which ones a
 * transaction changed, for {@link CachedRead#trackEntities()}. Register it for every entity of the persistence
 * unit with one entry in {@code META-INF/orm.xml}:
 *
 * <pre>{@code
 * <persistence-unit-metadata>
 *     <persistence-unit-defaults>
 *         <entity-listeners><entity-listener class="org.layeredcache.EntityTracking"/></entity-listeners>
 *     </persistence-unit-defaults>
 * </persistence-unit-metadata>
 * }</pre>
 *
 * or on single entities with {@code @EntityListeners(EntityTracking.class)}. A new or removed entity drops the
 * entries built from queries of its type only where {@link EntityQueryTracking} reports those queries. A loaded entity costs a thread-local
 * look-up unless a tracking load runs on the thread; a changed entity, once its transaction commits, one cluster
 * write of its tag's version, the transaction's changes going out in one message; nothing when no cache tracks
 * entities. A
 * failure here is logged and never reaches the application's transaction.
 */
public class EntityTracking {

    private static final Logger LOG = Logger.getLogger(EntityTracking.class.getName());
    private static final String DELEGATE = "layered-cache.entity-tracking";
    private static volatile BiConsumer<String, Object> delegate;
    private static volatile boolean unavailableLogged;

    @PostLoad
    public void loaded(Object entity) {
        tell("loaded", entity);
    }

    @PostUpdate
    public void changed(Object entity) {
        tell("changed", entity);
    }

    @PostRemove
    public void removed(Object entity) {
        tell("removed", entity);
    }

    @PostPersist
    public void created(Object entity) {
        tell("created", entity);
    }

    /** A load's query read entities of this type ({@link EntityQueryTracking}). */
    static void queried(Class<?> type) {
        tell("queried", type);
    }

    private static void tell(String what, Object entity) {
        try {
            BiConsumer<String, Object> found = delegate;
            if (found == null) {
                found = CDI.current().select(new TypeLiteral<BiConsumer<String, Object>>() { },
                        NamedLiteral.of(DELEGATE)).get();
                delegate = found;
            }
            found.accept(what, entity);
        } catch (RuntimeException | LinkageError e) {
            if (!unavailableLogged) {
                unavailableLogged = true;
                LOG.log(Level.WARNING, "Entity tracking failed (logged once): caches that track entities may not"
                        + " learn of this change until their TTL", e);
            }
        }
    }
}
