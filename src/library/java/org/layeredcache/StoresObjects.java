package org.layeredcache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a kind of shared object ({@link SharedObjects}) and marks the method that persists changed objects of
 * that kind: it receives, per key, the object's latest value, and writes them to the database.
 *
 * <pre>{@code
 * @StoresObjects("recently-viewed")
 * public void store(Map<Long, RecentTemplates> byUser) {
 *     byUser.forEach((userId, recent) -> em.merge(new RecentView(userId, recent.text())));
 * }
 * }</pre>
 *
 * The method is public, returns {@code void} and takes one {@code Map<K, V>}: {@code K} ({@code String},
 * {@code Long} or {@code Integer}) is the type of the keys, {@code V} that of the objects, which must be
 * serializable (they travel through the cluster). The library calls it through the bean, on one node of the cluster
 * every {@code layered-cache.objects.store-period} (5s), in a transaction of its own. It stores whole values, not
 * changes, so storing one twice is harmless: an object stays marked as changed until a store of a value at least
 * as new committed. A store that throws keeps every mark for the next period (logged once per cause, counted).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StoresObjects {

    /** The kind's name, as {@link SharedObjects#get} names it. */
    String value();
}
