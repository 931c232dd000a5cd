package org.layeredcache.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

/**
 * Reads rows the way many CDI beans do: the container's entity manager, no transaction. The server then keeps one
 * entity manager per component invocation and closes it when that invocation ends.
 */
@ApplicationScoped
public class PlainReads {

    @PersistenceContext
    EntityManager em;

    public long count() {
        return countQuery().getSingleResult();
    }

    /** A query made now and run later, on the entity manager of the invocation that made it. */
    public TypedQuery<Long> countQuery() {
        return em.createQuery("select count(s) from ServiceRow s", Long.class);
    }
}
