package org.layeredcache.example.data;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.layeredcache.CachedRead;
import org.layeredcache.Invalidates;

import java.util.List;

/** Users and their permissions per service. */
@ApplicationScoped
public class UserStore {

    @PersistenceContext
    EntityManager em;

    /** The user with their permissions on every service, in one query; {@code null} if there is none. */
    @CachedRead(cache = "users", key = "user-{userId}")
    public UserView user(long userId) {
        return em.createQuery("select distinct u from User u left join fetch u.memberships where u.id = :id",
                        User.class)
                .setParameter("id", userId)
                .getResultStream().findFirst().map(UserView::of).orElse(null);
    }

    /**
     * Many users at once, each in the same entry as {@link #user(long)}: the layers are asked for all of them, and
     * one query loads the ones no layer has (no N+1); the answer keeps the order of {@code userIds}. Ids without a
     * user are left out.
     */
    @CachedRead(cache = "users", key = "user-{userIds}", each = "userIds", idOf = "id")
    public List<UserView> users(List<Long> userIds) {
        return em.createQuery("select distinct u from User u left join fetch u.memberships where u.id in :ids",
                        User.class)
                .setParameter("ids", userIds)
                .getResultStream().map(UserView::of).toList();
    }

    /**
     * Adds the user to the service with the given permissions (or changes them). Both the user (their permissions)
     * and the service (its users) are stale afterwards.
     *
     * <p>Named by key, not left to entity tracking: the service's entry comes from a preloaded cache (see
     * {@code ServiceStore.update}), and a new membership is a new row, which changes the user's entry without
     * changing the user entity it was built from.
     *
     * <p>Safe under concurrency: the user's row is locked before the membership is looked up, so two calls for
     * the same user (on one node or several) run one after the other, and the second changes the membership the
     * first created instead of adding another. Looking up and then inserting without that lock would let both
     * insert, and a lock on the membership row would lock nothing while it does not exist yet.
     */
    @Transactional
    @Invalidates(cache = "users", key = "user-{userId}")
    @Invalidates(cache = "services", key = "service-{serviceId}")
    public boolean addToService(long serviceId, long userId, String permissions) {
        User user = em.find(User.class, userId, LockModeType.PESSIMISTIC_WRITE);
        Service service = em.find(Service.class, serviceId);
        if (service == null || user == null) {
            return false;
        }
        em.createQuery("select m from Membership m where m.serviceId = :service and m.userId = :user",
                        Membership.class)
                .setParameter("service", serviceId).setParameter("user", userId)
                .getResultStream().findFirst()
                .ifPresentOrElse(m -> m.setPermissions(permissions),
                        () -> em.persist(new Membership(user, service, permissions)));
        return true;
    }
}
