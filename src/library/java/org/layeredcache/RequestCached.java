package org.layeredcache;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Memoizes the method for the rest of the current request: the first call with given arguments runs the method,
 * later calls with equal arguments in the same request get the same result without running it.
 *
 * <pre>{@code
 * @RequestCached
 * public Permissions permissionsOf(long userId) { ... }
 * }</pre>
 *
 * Arguments are compared by value, following the key rules of {@link CachedRead} (all parameters form the key).
 * {@code null} results are memoized; exceptions are not. Nothing is shared between requests or threads of
 * different requests, and nothing reaches the near or cluster layer. The request is the CDI request context: an
 * HTTP request, and also an EJB timeout method or an asynchronous EJB call, for which the container activates
 * one (the method is then memoized for that call). Where no request context is active (a plain executor
 * thread, a managed task that does not activate one) the method simply runs. Use it for values that are cheap to
 * keep but must not outlive the request, such as the current user's permissions.
 *
 * <p>See {@link CachedRead} for the interceptor order; a method cannot carry both annotations.
 */
@InterceptorBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequestCached {
}
