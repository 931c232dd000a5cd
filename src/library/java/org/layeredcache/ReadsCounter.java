package org.layeredcache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that reads a counter's persisted value for one key, so that {@link Counters#read} can answer
 * what the database holds plus what the cluster holds and no flush has persisted yet.
 *
 * <pre>{@code
 * @ReadsCounter("template-views")
 * public long persistedViews(long templateId) {
 *     TemplateStats stats = em.find(TemplateStats.class, templateId);
 *     return stats == null ? 0 : stats.getViews();
 * }
 * }</pre>
 *
 * The method is public, takes one parameter of the counter's key type (see {@link FlushesCounter}; a primitive
 * {@code long} or {@code int} will do) and returns {@code long} or {@code Long} ({@code null} reads as 0). It is
 * called through the bean, on the caller's thread. Optional: without one, {@link Counters#read} is refused.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ReadsCounter {

    /** The counter's name, as its {@link FlushesCounter} declares it. */
    String value();
}
