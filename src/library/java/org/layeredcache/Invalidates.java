package org.layeredcache;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Drops the named entries (by key, or every entry carrying a tag) from every layer on every node once the
 * method's change is durable.
 * Repeat it so that one write names every entry it makes stale:
 *
 * <pre>{@code
 * @Invalidates(cache = "templates", key = "template-{templateId}-versions")
 * @Invalidates(cache = "templates", key = "service-{serviceId}-templates")
 * public void updateTemplate(long serviceId, long templateId, TemplateChange change) { ... }
 * }</pre>
 *
 * <h2>When</h2>
 * <ul>
 *   <li>Inside a JTA transaction: after it commits. On rollback nothing is invalidated. Invalidating before the
 *       commit would let a concurrent reader load and cache the old row again.</li>
 *   <li>Without a transaction: as soon as the method returns.</li>
 *   <li>Also when the method throws: a write may have happened before the exception, and a needless
 *       invalidation only costs a reload. (Inside a transaction this still waits for a commit.)</li>
 *   <li>The current request's own layer is cleared at once, so the rest of the request reads its own writes.</li>
 *   <li>A method that returns a {@code CompletionStage} or {@code CompletableFuture}: once its stage completes
 *       (normally or not; {@link #condition()} is asked only when normally), on the thread that completes it.</li>
 * </ul>
 * An invalidation removes the entry from the cluster layer, then from this node's near layer, then tells the
 * other nodes to drop it from theirs. A load of the same key that started earlier never publishes its value
 * afterwards.
 *
 * <p>Keys follow the rules listed on {@link CachedRead}: the template is matched by shape, so
 * {@code key = "service-{id}"} here drops what {@code @CachedRead(key = "service-{serviceId}")} stored. A shape
 * that no {@code @CachedRead} of the same cache uses is reported as a warning at deployment.
 * See {@link CachedRead} for the interceptor order.
 */
@InterceptorBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Repeatable(Invalidates.List.class)
public @interface Invalidates {

    /** The cache whose entries become stale; empty only with {@link #tags()}. */
    @Nonbinding
    String cache() default "";

    /**
     * The key template of the stale entry. Empty (and not {@link #allEntries()}): the entries that the cache's
     * template-less {@code @CachedRead} methods stored for the same arguments (those whose parameters match this
     * method's in number and type); a deployment without such a read is warned that this drops nothing.
     */
    @Nonbinding
    String key() default "";

    /** Drop every entry of the cache instead of one key; {@link #key()} must then stay empty. */
    @Nonbinding
    boolean allEntries() default false;

    /**
     * Tags whose entries become stale, in every cache: every entry whose {@link CachedRead#tags()} render the same
     * text ({@code tags = "service-{id}"} drops what {@code @CachedRead(tags = "service-{serviceId}")} tagged for
     * the same id). Same timing as a key: after the commit, on every node, nothing after a rollback; the current
     * request's own layer at once. Costs one cluster write per tag and one message, however many entries carry
     * them. An {@code @Invalidates} with tags names no {@link #cache()}, {@link #key()} or {@link #allEntries()};
     * repeat the annotation for those.
     */
    @Nonbinding
    String[] tags() default {};

    /**
     * Whether this invalidation happens, decided after the method ran: a Jakarta Expression Language expression
     * (with or without {@code ${ }}) over the method's parameters by name, their properties, and the method's
     * {@code result}, such as {@code "result > 0"} for a method that answers how many rows it changed. When it is
     * {@code false} (or {@code null}) this annotation drops nothing; another {@code @Invalidates} of the method
     * decides for itself. When the method throws, the condition is not asked and the invalidation happens, as it
     * does without one (a write may have happened before the exception). Parsed and checked at deployment like
     * {@link CachedRead#condition()}; one that cannot be evaluated counts as a fault and the invalidation happens.
     * Empty: always.
     */
    @Nonbinding
    String condition() default "";

    /** Holds repeated {@link Invalidates} annotations; written by the compiler, not by hand. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @interface List {
        /** The repeated annotations. */
        @Nonbinding
        Invalidates[] value();
    }
}
