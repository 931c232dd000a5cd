package org.layeredcache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a counter ({@link Counters}) and marks the method that persists its additions: it receives, per key,
 * the sum of the additions not persisted yet, and writes them to the database.
 *
 * <pre>{@code
 * @FlushesCounter("template-views")
 * public void persist(Map<Long, Long> viewsByTemplate) {
 *     viewsByTemplate.forEach((templateId, views) -> em.createQuery(
 *             "update TemplateStats s set s.views = s.views + :views where s.templateId = :id")
 *             .setParameter("views", views).setParameter("id", templateId).executeUpdate());
 * }
 * }</pre>
 *
 * The method is public, returns {@code void} and takes one {@code Map<K, Long>}, whose key type {@code K}
 * ({@code String}, {@code Long} or {@code Integer}) is the type of the counter's keys. The library calls it
 * through the bean, on one node of the cluster every {@code layered-cache.counters.flush-period} (5s), in a JTA
 * transaction of its own in which it also records, in the table {@code layered_cache_counter_ledger} of the data
 * source the method writes to ({@code layered-cache.counters.datasource}; when not set, the
 * {@code jta-data-source} of the application's persistence unit), how much of each node's
 * additions is persisted: the method's writes and that record commit together or not at all, so an addition is
 * persisted once, even when the flushing node dies during the flush or two nodes flush at once. A flush that
 * throws persists nothing; its additions stay in the cluster for the next flush (the failure is logged once per
 * cause and counted). The map is never empty and holds no zero.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FlushesCounter {

    /** The counter's name, as {@link Counters#add} names it. */
    String value();

    /** Whether additions may be negative; when not (the default), a negative addition is refused. */
    boolean negative() default false;

    /**
     * Whether an addition waits until the cluster holds it (the default). Once such an addition's committing call
     * has returned, it survives the death of the node that made it; each one costs its caller a wait for a cluster
     * write (shared by the additions of one key made at once on one node).
     *
     * <p>With {@code false}, an addition returns as soon as this node holds it, and the node sends what it holds
     * to the cluster every {@code layered-cache.counters.send-period} (100ms), one write per key: many times more
     * additions per second, for counts where losing a moment's worth is acceptable (page views, not quotas). The
     * additions a node holds when it dies (those of the last send period, more while the cluster does not answer)
     * are lost; a node that stops sends them first. Everything else (the flush, the ledger, reading) is the same.
     */
    boolean awaitCluster() default true;
}
