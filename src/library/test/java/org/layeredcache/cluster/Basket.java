package org.layeredcache.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.layeredcache.LoadsObject;
import org.layeredcache.SharedObjects;
import org.layeredcache.StoresObjects;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Shared objects of kind "baskets": a list of item numbers per id, changed by many requests on every node, stored
 * into table {@code basket} (the items joined by commas) with plain JPA (native SQL) in the transaction the
 * library's store runs. A test can hold a store in the middle (after its writes, before its commit) to kill the
 * node there.
 */
@ApplicationScoped
public class Basket {

    static final String KIND = "baskets";
    static volatile CountDownLatch holding;
    static volatile CountDownLatch held = new CountDownLatch(1);

    /** A basket's items, in the order they were added; a change returns a new one. */
    public record Items(List<Long> numbers) implements Serializable {

        static Items with(Items items, long number) {
            List<Long> more = new ArrayList<>(items == null ? List.of() : items.numbers());
            more.add(number);
            return new Items(List.copyOf(more));
        }
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    SharedObjects objects;

    /** Adds {@code number} to the basket, in a transaction: written to the cluster once it commits. */
    @Transactional
    public void add(long id, long number) {
        objects.change(KIND, id, (Items items) -> Items.with(items, number));
    }

    /** Adds {@code count} numbers from {@code from} on to the basket, in one transaction: one write. */
    @Transactional
    public void addMany(long id, long from, int count) {
        for (long number = from; number < from + count; number++) {
            long adding = number;
            objects.change(KIND, id, (Items items) -> Items.with(items, adding));
        }
    }

    public Items get(long id) {
        return objects.get(KIND, id);
    }

    @StoresObjects(KIND)
    public void store(Map<Long, Items> byId) throws InterruptedException {
        byId.forEach((id, items) -> em.createNativeQuery("insert into basket (id, items) values (?1, ?2)"
                        + " on conflict (id) do update set items = excluded.items")
                .setParameter(1, id).setParameter(2, text(items)).executeUpdate());
        CountDownLatch hold = holding;
        if (hold != null) {
            held.countDown();
            hold.await(5, TimeUnit.MINUTES);
        }
    }

    @LoadsObject(KIND)
    public Items load(long id) {
        List<?> found = em.createNativeQuery("select items from basket where id = ?1").setParameter(1, id)
                .getResultList();
        if (found.isEmpty() || ((String) found.get(0)).isEmpty()) {
            return found.isEmpty() ? null : new Items(List.of());
        }
        List<Long> numbers = new ArrayList<>();
        for (String number : ((String) found.get(0)).split(",")) {
            numbers.add(Long.parseLong(number));
        }
        return new Items(List.copyOf(numbers));
    }

    static String text(Items items) {
        StringBuilder text = new StringBuilder();
        for (Long number : items == null ? List.<Long>of() : items.numbers()) {
            text.append(text.length() == 0 ? "" : ",").append(number);
        }
        return text.toString();
    }
}
