package org.layeredcache.example.data;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;

/**
 * Writes the example's data set: services with a few kilobytes of settings, users with a profile and
 * permissions on two services each, three templates per service with one to three versions of 2-4 KB.
 * Ids follow fixed rules, so that load generators can build valid requests without asking:
 * template {@code t} belongs to service {@code (t - 1) / 3 + 1}, and user {@code u} belongs to service
 * {@code (u - 1) % services + 1}.
 */
@Stateless
public class SeedData {

    public static final int TEMPLATES_PER_SERVICE = 3;

    @PersistenceContext
    EntityManager em;

    public boolean empty() {
        return em.createQuery("select count(s) from Service s", Long.class).getSingleResult() == 0;
    }

    /**
     * Writes the data set in this transaction. The seed claim goes first and is flushed at once: a node seeding
     * the same database at the same time waits here until this transaction ends, then fails on the duplicate
     * claim and rolls back without having written anything.
     */
    public void write(int services, int users) {
        Instant now = Instant.now();
        em.persist(new SeedClaim(now));
        em.flush();
        for (long id = 1; id <= services; id++) {
            em.persist(new Service(id, "Service " + id, text("setting", id, 40 + (int) (id % 40))));
            flushEvery(id);
        }
        for (long id = 1; id <= users; id++) {
            User user = new User(id, "User " + id, "user" + id + "@example.org", text("profile", id, 30 + (int) (id % 40)));
            em.persist(user);
            long first = (id - 1) % services + 1;
            long second = (id * 7) % services + 1;
            em.persist(new Membership(user, em.getReference(Service.class, first), "manage_templates,send_messages"));
            if (second != first) {
                em.persist(new Membership(user, em.getReference(Service.class, second), "view_activity"));
            }
            flushEvery(id);
        }
        for (long id = 1; id <= (long) services * TEMPLATES_PER_SERVICE; id++) {
            Service service = em.getReference(Service.class, (id - 1) / TEMPLATES_PER_SERVICE + 1);
            Template template = new Template(id, service, "Template " + id);
            em.persist(template);
            for (int version = 0; version <= id % 3; version++) {
                em.persist(template.newVersion("Subject " + id + " v" + (version + 1),
                        text("line", id * 10 + version, 40 + (int) ((id + version) % 40)), now));
            }
            flushEvery(id);
        }
    }

    private void flushEvery(long id) {
        if (id % 250 == 0) {
            em.flush();
            em.clear();
        }
    }

    /** About 2-4 KB of text, different for every id. */
    private static String text(String word, long id, int lines) {
        StringBuilder text = new StringBuilder(lines * 48);
        for (int line = 0; line < lines; line++) {
            text.append(word).append('.').append(line).append(" = value ").append(id * 31 + line)
                    .append(" for ").append(id).append('\n');
        }
        return text.toString();
    }
}
