package org.layeredcache;

import org.eclipse.persistence.queries.DatabaseQuery;
import org.eclipse.persistence.queries.ReadObjectQuery;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionCustomizer;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

/**
 * Lets the caches that track entities ({@link CachedRead#trackEntities()}) see which entity types a load's queries
 * read, so that a new or removed row of such a type drops the entries built from those queries, even a query that
 * returned no rows. It listens to the query events of EclipseLink (Payara's JPA provider); register it with one
 * property of the persistence unit, beside the {@link EntityTracking} listener:
 *
 * <pre>{@code
 * <property name="eclipselink.session.customizer" value="org.layeredcache.EntityQueryTracking"/>
 * }</pre>
 *
 * A persistence unit that has a customizer of its own calls {@code new EntityQueryTracking().customize(session)}
 * from it. Reads by primary key ({@code EntityManager.find}) are not queries here: the entity they load is tracked
 * by itself. An update that moves a row into a query's answer (a changed status, a renamed row) is not seen; nor
 * is what JPA does not see at all (native SQL, bulk JPQL, other programs).
 */
public class EntityQueryTracking implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        session.getEventManager().addListener(new SessionEventAdapter() {
            @Override
            public void postExecuteQuery(SessionEvent event) {
                DatabaseQuery query = event.getQuery();
                if (query != null && query.isObjectLevelReadQuery() && query.getReferenceClass() != null
                        && !(query instanceof ReadObjectQuery byKey && byKey.isPrimaryKeyQuery())) {
                    EntityTracking.queried(query.getReferenceClass());
                }
            }
        });
    }
}
