package org.layeredcache;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Reads the method's result through the cache layers and runs the method only when every layer misses.
 *
 * <pre>{@code
 * @CachedRead(cache = "services", key = "service-{serviceId}", ttl = "24h")
 * public ServiceView find(long serviceId) { ... }
 * }</pre>
 *
 * <h2>Layers, fastest first</h2>
 * <ol>
 *   <li>the current request (a hit costs a map lookup; no layer below is asked again in the same request);</li>
 *   <li>the near layer, a bounded in-memory cache of this JVM (Caffeine);</li>
 *   <li>the cluster layer, the server's JCache {@code CacheManager} (Hazelcast on Payara);</li>
 *   <li>the method itself.</li>
 * </ol>
 * A hit in a lower layer fills the layers above it. A loaded value is published to the near and cluster layers
 * only once the surrounding JTA transaction has committed (at once when there is none); a load inside a
 * transaction that rolls back is never published. A load that overlaps an {@link Invalidates invalidation} of
 * the same key never publishes its (possibly old) value.
 *
 * <h2>Many callers, one load</h2>
 * Concurrent misses of one key on a node share one call of the method; a node that finds another node's load of
 * the key in progress waits for its value in the cluster. A caller waits at most {@code load.wait} (5 s), then
 * runs the method itself. A waiter receives the loaded value only once it has been published (after the loader's
 * transaction committed, with no invalidation in between); otherwise it reads again. If the load throws, the
 * callers waiting for it receive the same exception; it is not kept for later callers. See {@link #refreshAfter()}
 * and {@link #staleIfError()} for keeping values warm and serving through failures.
 *
 * <h2>Keys</h2>
 * These rules are implemented once, in this order:
 * <ol>
 *   <li>{@link #key()} is literal text with placeholders. A placeholder names a method parameter
 *       ({@code {serviceId}}) and may reach a property of it ({@code {user.id}}: a getter, a record component or a
 *       public field). Classes must be compiled with {@code -parameters} so parameter names are known.</li>
 *   <li>Without a template, the method (its class and name) and all its parameters, in order, form the key, so
 *       two template-less methods of one cache never share entries.</li>
 *   <li>Keys are compared by the template's shape (its literal text) and the placeholder values, never by the
 *       rendered text: {@code "a-{x}-{y}"} with {@code ("1-2", "3")} and with {@code ("1", "2-3")} are two
 *       entries. Placeholder names do not matter, so {@code "service-{id}"} on an {@code @Invalidates} matches
 *       {@code "service-{serviceId}"} here.</li>
 *   <li>{@code byte}, {@code short}, {@code int} and {@code long} values (boxed or not) are compared as
 *       {@code long}, so an {@code int id} and a {@code long id} name the same entry. Arrays are compared by
 *       content. {@code null} is a valid value.</li>
 *   <li>Every entry belongs to exactly one {@link #cache()}; keys of two caches never meet.</li>
 *   <li>Two reads of one cache whose templates have the same shape read the same entries: allowed when both
 *       store the same type (an {@code Optional<T>} stores a {@code T}), noted once at deployment; with different
 *       types the deployment fails, naming both methods.</li>
 *   <li>Key values travel to the cluster: they must be {@link java.io.Serializable} with a value-based
 *       {@code equals}/{@code hashCode} (strings, numbers, enums, records of those...).</li>
 * </ol>
 *
 * <h2>Results</h2>
 * {@code null} and {@code Optional.empty()} are cached (as a marker) like any other result; an {@code Optional}
 * result is stored unwrapped. Exceptions are never cached and reach the caller unchanged. Cached values are
 * shared: treat them as read-only (records, DTOs, detached and fully loaded entities). Values must be
 * {@link java.io.Serializable} to reach the cluster layer; a value that is not is still returned, and the
 * failure is counted as a fault. A value read back from the cluster is deserialised only if its classes are
 * JDK data classes ({@code java.lang}, {@code java.util}, {@code java.time}, {@code java.math}, {@code java.sql})
 * or the application's own (its WAR); anything else is refused, counted as a fault, and the entry dropped.
 * {@code layered-cache.serialization.filter}, a pattern in the syntax of
 * {@link java.io.ObjectInputFilter.Config#createFilter}, is asked first, to allow more (such as
 * {@code org.eclipse.persistence.**} for cached entities) or refuse some.
 *
 * <h2>Asynchronous results</h2>
 * A method that returns {@code CompletionStage<T>} or {@code CompletableFuture<T>} is cached by its stage's value:
 * a hit answers a completed stage (a {@code CompletableFuture}); on a miss the method is called and its stage
 * answered at once, without waiting for it, and its value is published, under the rules above, once the stage
 * completed normally and the caller's transaction (if any) committed. Concurrent misses of a key share one call, on
 * a node and across the cluster: a caller that finds the key's call in flight on its node is answered a stage at
 * once, completed with that call's value (when the value cannot be shared, or {@code load.wait} passed, the call is
 * made again through the bean, on the server's executor); one that finds another node's call in flight waits for
 * its value in the cluster on its own thread, at most {@code load.wait}, as a synchronous read does. A stage that
 * completes exceptionally is never cached; its failure reaches the callers that waited for it as a failed stage.
 * {@link #each()}, {@link #refreshAfter()}, {@link #staleIfError()} and {@link #trackEntities()} are not available
 * for such reads (configuration that sets them for the cache leaves these reads alone).
 *
 * <h2>Faults</h2>
 * A failing cache layer never changes a result: the call counts as a miss, the method's value is returned, and
 * the fault is logged (once per cause) and counted in {@link CacheStatistics#faults()}.
 *
 * <h2>Configuration (MicroProfile Config; no recompilation)</h2>
 * <ul>
 *   <li>{@code layered-cache.enabled=false} turns all caching off: every annotated method simply runs.</li>
 *   <li>{@code layered-cache.cache.<cache>.enabled}, {@code .ttl} (overrides every annotation's {@link #ttl()}),
 *       {@code .request.enabled}, {@code .near.enabled}, {@code .near.max-size} (default 10000), {@code .near.ttl}
 *       (default 30s), {@code .near.renew} (default true: a near copy read in the last fifth of its life is renewed
 *       from the cluster in the background, so hot keys do not miss when it ends), {@code .cluster.enabled},
 *       {@code .cluster.max-size} (default 100000 per member),
 *       {@code .cluster.load-lease} (default 30s), {@code .cluster.timeout} (default 500ms),
 *       {@code .cluster.retry-after} (default 2s), {@code .load.wait} (default 5s), {@code .refresh-after},
 *       {@code .stale-if-error}, {@code .near.max-bytes} (default 64MB), {@code .cluster.max-value-size} (default
 *       1MB: a larger value is returned and kept near, not in the cluster), {@code .cluster.compress-above}
 *       (default 16KB); {@code layered-cache.default.<setting>} sets one for every cache.</li>
 * </ul>
 *
 * <h2>Interceptor order</h2>
 * The three interceptors run inside platform interceptors such as {@code @Transactional} and in this order,
 * outermost first: {@link Invalidates} ({@code Interceptor.Priority.LIBRARY_BEFORE + 100}), {@code CachedRead}
 * ({@code + 200}), {@link RequestCached} ({@code + 300}). They are enabled by their {@code @Priority}; no
 * {@code beans.xml} entry is needed. As with every CDI interceptor, a call from the bean to itself is not
 * intercepted.
 *
 * <p>Misuse fails the deployment with one message that lists every problem: a {@code void}, {@code private},
 * {@code final} or {@code static} method, an asynchronous result other than a {@code CompletionStage} or
 * {@code CompletableFuture} (or one of those with an attribute it does not offer), an unknown placeholder or
 * property, an unparsable or negative duration, a {@code refreshAfter} not shorter than the TTL, a blank cache name, an
 * {@link #each()} read whose result cannot be matched to its ids, a blank tag or one whose placeholder names no
 * parameter, tags or entity tracking on a cache that a
 * {@link Preloads} method fills, a {@link #condition()} or {@link #unless()} that is not a valid expression or names
 * something that is not a parameter (or, in {@code unless}, the result).
 */
@InterceptorBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CachedRead {

    /** The cache the entries belong to; invalidations name the same cache. */
    @Nonbinding
    String cache();

    /**
     * The key template, for example {@code "template-{templateId}-version-{version}"}; empty: the method and all
     * its parameters.
     */
    @Nonbinding
    String key() default "";

    /**
     * How long an entry lives in the cluster layer: {@code "500ms"}, {@code "30s"}, {@code "5m"}, {@code "24h"},
     * {@code "7d"} or ISO-8601 ({@code "PT24H"}). Empty: 24 hours, a safety net against a forgotten invalidation
     * or a change made directly in the database. {@code layered-cache.cache.<cache>.ttl} overrides it.
     */
    @Nonbinding
    String ttl() default "";

    /**
     * Refresh-ahead (stale-while-revalidate): once an entry is older than this, a read still answers at once from
     * the layers, and one background reload of the key starts (one per cluster, however many nodes and callers
     * see the old entry). The reload calls the method again through the bean (its interceptors and transaction
     * attributes apply), on the server's {@code ManagedExecutorService}, in a transaction of its own, and publishes
     * its value under the same rules as a load: an invalidation in between wins and the reloaded value is dropped.
     * A reload that throws changes nothing (logged once per cause, counted as a fault). Must be shorter than the
     * TTL. Empty: off. {@code layered-cache.cache.<cache>.refresh-after} overrides it.
     */
    @Nonbinding
    String refreshAfter() default "";

    /**
     * Fail-safe: how long after its TTL an entry is still kept in the cluster layer to stand in for a failed
     * load. When the method throws and such an entry exists, the caller gets the expired value instead of the
     * exception (counted in {@link CacheStatistics#staleServed()}, logged once per cause) and the entry stays for
     * the next attempt; without one, the exception reaches the caller as usual. Exceptions are never cached.
     * Empty: off. Same syntax as {@link #ttl()}; {@code layered-cache.cache.<cache>.stale-if-error} overrides it.
     * Expired entries are told apart by the time they were written, so nodes' clocks should agree to within a
     * small part of the TTL.
     */
    @Nonbinding
    String staleIfError() default "";

    /**
     * Per-element caching: the name of a parameter that is a {@code Collection} (a {@code List}, {@code Set}...)
     * of ids. The method then reads one entry per id, and its key template's placeholder for that parameter stands
     * for one id, so the entries are the very ones a single-id read with a template of the same shape uses:
     *
     * <pre>{@code
     * @CachedRead(cache = "prices", key = "price-{id}")
     * public Price priceOf(long id) { ... }
     *
     * @CachedRead(cache = "prices", key = "price-{ids}", each = "ids")
     * public Map<Long, Price> pricesOf(List<Long> ids) { ... }            // or:
     *
     * @CachedRead(cache = "prices", key = "price-{ids}", each = "ids", idOf = "id")
     * public List<Price> pricesOf(List<Long> ids) { ... }                 // each Price knows its id
     * }</pre>
     *
     * A call asks each layer once for all its ids (the request's entries, one near multi-get, one round of cluster
     * reads), then calls the method once with only the ids no layer had (a collection of the parameter's kind,
     * each id once), and answers in the caller's order: a {@code Map} (its iteration order that of the ids), or a
     * {@code List}/{@code Collection} with one element per id, duplicates included, or a {@code Set}. An id the
     * method gives no value for is cached as absent and left out of the answer. Every rule of single reads holds
     * per element (publication after commit, claims against the stale-set race, single flight on a node, TTL,
     * size guard, invalidation of one element by a single-key {@link Invalidates}). {@link #refreshAfter()} and
     * {@link #staleIfError()} are not available for such reads. A {@code null} collection, or one holding a
     * {@code null} id, is refused before any layer is asked with an {@code IllegalArgumentException} naming the
     * method and parameter; an empty one answers empty without a call.
     */
    @Nonbinding
    String each() default "";

    /**
     * Tags of the entry, templates as for {@link #key()} ({@code "service-{serviceId}"}, {@code "user-{user.id}"}):
     * an {@link Invalidates#tags() @Invalidates(tags = ...)} that renders the same text drops, after its commit and on
     * every node, the entries of every cache that carry it, without naming their keys. Two templates name the same
     * tag when they render the same text ({@code "service-{id}"} with {@code 42} is {@code service-42}, whatever
     * the placeholder's name or type). With {@link #each()}, a placeholder naming that parameter stands for one id.
     * The tags travel with the entry to every node. Invalidating a tag costs one cluster write and one message
     * however many entries carry it; an entry is checked against its tags' versions when it is read. A load that
     * overlaps a tag's invalidation never publishes its value. Not available on a cache filled by {@link Preloads}.
     */
    @Nonbinding
    String[] tags() default {};

    /**
     * Entries that know which JPA entities they were built from: while the method runs, each entity it loads
     * (JPA {@code @PostLoad}, seen through the {@link EntityTracking} listener, which must be registered) becomes a
     * tag of the entry; when any code of the application changes or removes such an entity through JPA
     * ({@code @PostUpdate}, {@code @PostRemove}) and its transaction commits, the entry is dropped on every node,
     * with no {@link Invalidates} written. A read of another cached method inside the load passes on its own
     * entities. Only the entities the method's thread loads count. Not seen (write an {@code @Invalidates} or use
     * {@link CacheAdmin#invalidateAll} for them): native SQL, bulk JPQL {@code UPDATE}/{@code DELETE}, other
     * programs writing the database, an update that moves a row into a query's answer, and, unless
     * {@link EntityQueryTracking} is registered, rows a query would newly return. With {@link #each()}, the
     * entities the method's one call reads become tags of every entry that call loaded (which element was built
     * from which entity cannot be told), so a change to any of them drops them all.
     * {@code layered-cache.cache.<cache>.track-entities} overrides it.
     */
    @Nonbinding
    boolean trackEntities() default false;

    /**
     * With {@link #each()} and a {@code List}, {@code Set} or {@code Collection} result: the property of a result
     * element that holds its id ({@code "id"}, {@code "owner.id"}), which matches it to the id it was loaded for.
     * Not used with a {@code Map} result, whose keys are the ids.
     */
    @Nonbinding
    String idOf() default "";

    /**
     * Whether this call is cached at all, decided on its arguments before anything else: a Jakarta Expression
     * Language expression ({@code "id > 0"}, {@code "not empty name"}, {@code "user.premium"}; with or without
     * {@code ${ }}) over the method's parameters by name and their properties (getters, record components, map
     * entries, list and array elements). When it is {@code false} (or {@code null}) the method simply runs: no
     * layer is asked or filled, and the call is counted in {@link CacheStatistics#uncachedCalls()}. Parsed and
     * checked at deployment: a syntax error or a name that is not a parameter fails it, naming the method and the
     * expression. One that cannot be evaluated for a call (a property that does not exist at run time) counts as a
     * fault and the method runs uncached. Empty: every call is cached.
     */
    @Nonbinding
    String condition() default "";

    /**
     * Whether a loaded value is kept out of every layer, decided on the result after the method ran: an expression
     * as for {@link #condition()} that may also name the method's {@code result} (an {@code Optional}'s content, or
     * {@code null}), such as {@code "result == null"} or {@code "result.size() > 1000"}. When it is {@code true}
     * the value is returned (and shared with the callers that waited for this load) but stored in no layer, not
     * even the current request's; counted in {@link CacheStatistics#notCached()}. A refresh-ahead whose value it
     * keeps out publishes nothing, and the entry it refreshed stays until its TTL or an invalidation. An evaluation
     * that fails counts as a fault and keeps the value out. Not available with {@link #each()}. Empty: every loaded
     * value is cached.
     */
    @Nonbinding
    String unless() default "";
}
