package org.layeredcache.it;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;

/** An EJB over JPA, as users write them: container transactions, the caching annotations on its methods. */
@Stateless
public class ServiceRepository {

    @PersistenceContext
    EntityManager em;

    @Inject
    LoadCounter loads;

    public void create(long id, String name) {
        em.persist(new ServiceRow(id, name));
    }

    @CachedRead(cache = "it-services", key = "service-{id}")
    public ServiceView find(long id) {
        loads.ran("find");
        ServiceRow row = em.find(ServiceRow.class, id);
        return row == null ? null : new ServiceView(row.getId(), row.getName());
    }

    /** Many rows at once, in the same entries as {@link #find}: one query for the ids no layer has. */
    @CachedRead(cache = "it-services", key = "service-{ids}", each = "ids", idOf = "id")
    public java.util.List<ServiceView> findAll(java.util.List<Long> ids) {
        loads.ran("findAll");
        return em.createQuery("select s from ServiceRow s where s.id in :ids", ServiceRow.class)
                .setParameter("ids", ids).getResultStream()
                .map(row -> new ServiceView(row.getId(), row.getName())).toList();
    }

    /** Reads the same rows through a cache configured without request and near layers. */
    @CachedRead(cache = "it-cluster-only", key = "service-{id}")
    public ServiceView findInClusterOnly(long id) {
        loads.ran("findInClusterOnly");
        ServiceRow row = em.find(ServiceRow.class, id);
        return row == null ? null : new ServiceView(row.getId(), row.getName());
    }

    /** Reads the same rows with refresh-ahead: entries older than a second are reloaded in the background. */
    @CachedRead(cache = "it-refresh", key = "service-{id}", ttl = "1h", refreshAfter = "1s")
    public ServiceView findRefreshing(long id) {
        loads.ran("findRefreshing");
        ServiceRow row = em.find(ServiceRow.class, id);
        return row == null ? null : new ServiceView(row.getId(), row.getName());
    }

    /** Whether the row exists, read from the database without any cache. */
    public boolean exists(long id) {
        return em.find(ServiceRow.class, id) != null;
    }

    /** Reads the same rows through a cache the consistency auditor checks (see the deployments' configuration). */
    @CachedRead(cache = "it-audited", key = "service-{id}")
    public ServiceView findAudited(long id) {
        ServiceRow row = em.find(ServiceRow.class, id);
        return row == null ? null : new ServiceView(row.getId(), row.getName());
    }

    /** A change made without telling the cache, as another program writing to the database would. */
    public void renameBehindTheCachesBack(long id, String name) {
        em.find(ServiceRow.class, id).setName(name);
    }

    /** Reads the same rows tagged with their service, which {@link #renameTagged} invalidates. */
    @CachedRead(cache = "it-tagged", key = "tagged-{id}", tags = "service-{id}")
    public ServiceView findTagged(long id) {
        loads.ran("findTagged");
        ServiceRow row = em.find(ServiceRow.class, id);
        return row == null ? null : new ServiceView(row.getId(), row.getName());
    }

    /** The names of the rows with ids from {@code from} to {@code to}: an entry built from all those entities. */
    @CachedRead(cache = "it-tracked", key = "names-{from}-{to}", trackEntities = true)
    public java.util.List<String> namesBetween(long from, long to) {
        loads.ran("namesBetween");
        return em.createQuery("select s from ServiceRow s where s.id between :from and :to order by s.id",
                        ServiceRow.class).setParameter("from", from).setParameter("to", to)
                .getResultStream().map(ServiceRow::getName).toList();
    }

    /** The names starting with {@code prefix}: an entry built from a query, which may return no rows at all. */
    @CachedRead(cache = "it-tracked", key = "starting-{prefix}", trackEntities = true)
    public java.util.List<String> namesStartingWith(String prefix) {
        loads.ran("namesStartingWith");
        return em.createQuery("select s from ServiceRow s where s.name like :prefix order by s.name",
                        ServiceRow.class).setParameter("prefix", prefix + "%")
                .getResultStream().map(ServiceRow::getName).toList();
    }

    /** Many rows at once, tracked: each entry this call loads depends on every entity the call read. */
    @CachedRead(cache = "it-tracked", key = "many-{ids}", each = "ids", idOf = "id", trackEntities = true)
    public java.util.List<ServiceView> findAllTracked(java.util.List<Long> ids) {
        loads.ran("findAllTracked");
        return em.createQuery("select s from ServiceRow s where s.id in :ids", ServiceRow.class)
                .setParameter("ids", ids).getResultStream()
                .map(row -> new ServiceView(row.getId(), row.getName())).toList();
    }

    /** One row, tracked: its entry knows the entity it was built from. */
    @CachedRead(cache = "it-tracked", key = "tracked-{id}", trackEntities = true)
    public ServiceView findTracked(long id) {
        loads.ran("findTracked");
        ServiceRow row = em.find(ServiceRow.class, id);
        return row == null ? null : new ServiceView(row.getId(), row.getName());
    }

    /** A change through plain JPA, without any cache annotation, flushed at the commit. */
    public void renamePlainly(long id, String name) {
        em.find(ServiceRow.class, id).setName(name);
    }

    /** As {@link #renamePlainly}, flushed at once: the entity's change is seen before the transaction ends. */
    public void renamePlainlyAndFlush(long id, String name) {
        em.find(ServiceRow.class, id).setName(name);
        em.flush();
    }

    /** A bulk JPQL update: JPA runs no entity callback for it, so no cache learns of it by itself. */
    public void renameInBulk(long id, String name) {
        em.createQuery("update ServiceRow s set s.name = :name where s.id = :id").setParameter("name", name)
                .setParameter("id", id).executeUpdate();
    }

    /** A removal through plain JPA, without any cache annotation. */
    public void removePlainly(long id) {
        em.remove(em.find(ServiceRow.class, id));
    }

    @Invalidates(tags = "service-{id}")
    public void renameTagged(long id, String name) {
        em.find(ServiceRow.class, id).setName(name);
        em.flush();
    }

    @Invalidates(cache = "it-services", key = "service-{id}")
    public void rename(long id, String name) {
        em.find(ServiceRow.class, id).setName(name);
        em.flush();
    }
}
