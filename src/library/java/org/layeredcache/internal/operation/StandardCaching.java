package org.layeredcache.internal.operation;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The binding the deployment puts on each method that carries a JSR-107 annotation ({@code @CacheResult},
 * {@code @CachePut}, {@code @CacheRemove}, {@code @CacheRemoveAll}), in place of that annotation, so that the
 * library's interceptor, and no other, runs for it. Internal: users write the standard annotations.
 */
@InterceptorBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface StandardCaching {

    /** The instance the deployment adds. */
    final class Literal extends AnnotationLiteral<StandardCaching> implements StandardCaching {
        static final Literal INSTANCE = new Literal();
        private static final long serialVersionUID = 1L;
    }
}
