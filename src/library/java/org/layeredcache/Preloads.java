package org.layeredcache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that gives every value of a cache, for a bulk preload ({@link CacheTasks#preload}), started
 * from code, from the admin resource, or by configuration once the web application has started
 * ({@code layered-cache.cache.<cache>.preload.on-start=true}: on one node of the cluster, not on each).
 *
 * <pre>{@code
 * @Preloads(cache = "services", key = "service-{id}")
 * public Stream<ServiceView> allServices() {
 *     EntityManager em = emf.createEntityManager();            // outside any transaction
 *     return em.createQuery("select ...", ServiceView.class).setHint("eclipselink.jdbc.fetch-size", 500)
 *             .getResultStream().onClose(em::close);            // or read in pages, as the example does
 * }
 * }</pre>
 *
 * The method takes no parameters and returns a {@code Stream}, {@code List} or other {@code Iterable} of values;
 * the key template's placeholders name properties of each value ({@code {id}}, {@code {owner.id}}), and its
 * shape must be that of a {@link CachedRead} of the same cache storing the same type, whose entries it fills.
 * The preload runs as a background task, outside any transaction, reading the values one at a time (a stream is
 * closed at the end); it writes them to the cluster layer in chunks of {@code preload.chunk-size} (500) with one
 * bulk put per chunk, each to live the TTL of that read. Values over {@code cluster.max-value-size} are skipped
 * and counted; other nodes' near layers fill on demand. Keys invalidated on any node while the preload runs are
 * removed again if the preload wrote them, so a preload never leaves a value older than an invalidation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Preloads {

    /** The cache to fill. */
    String cache();

    /** The key of each value, its placeholders naming the value's properties: {@code "service-{id}"}. */
    String key();
}
