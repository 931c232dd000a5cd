package org.layeredcache.internal.operation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import org.layeredcache.internal.operation.OperationParser;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Calls a bean's method again, later and on another thread, the way a client would: through a contextual
 * reference of the bean (so its interceptors, the caching ones included, and its transaction attributes apply),
 * inside a request context of its own. Refresh-ahead uses it; never {@code proceed()} after the original call
 * returned. Thread-safe.
 */
@ApplicationScoped
public class BeanCalls {

    @Inject
    BeanManager beans;

    @Inject
    Instance<RequestContextController> requests;

    /**
     * A call of {@code method} with {@code arguments} on the bean whose instance has class {@code targetClass},
     * resolved when it runs.
     */
    public Callable<Object> later(Method method, Class<?> targetClass, Object[] arguments) {
        Object[] copy = arguments.clone();
        return () -> call(method, targetClass, copy, result -> result);
    }

    /**
     * As {@link #later(Method, Class, Object[])}, with the result used by {@code use} before the call's request
     * context ends (a stream the method returned can still read what the request holds).
     */
    public <R> Callable<R> later(Method method, Class<?> targetClass, Object[] arguments, ResultUse<R> use) {
        Object[] copy = arguments.clone();
        return () -> call(method, targetClass, copy, use);
    }

    /** Uses what a method returned. */
    @FunctionalInterface
    public interface ResultUse<R> {
        R apply(Object result) throws Exception;
    }

    private <R> R call(Method method, Class<?> targetClass, Object[] arguments, ResultUse<R> use) throws Exception {
        Bean<?> bean = beanOf(method, targetClass);
        Type type = bean.getTypes().contains(method.getDeclaringClass()) ? method.getDeclaringClass()
                : bean.getTypes().stream().filter(t -> t instanceof Class<?> c && hasMethod(c, method)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no bean type of " + bean + " declares "
                                + OperationParser.describe(method)));
        CreationalContext<?> context = beans.createCreationalContext(bean);
        RequestContextController request = requests.get();
        boolean activated = request.activate();
        try {
            Object reference = beans.getReference(bean, type, context);
            Method callable = ((Class<?>) type).getMethod(method.getName(), method.getParameterTypes());
            Object result;
            try {
                result = callable.invoke(reference, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception exception ? exception : e;
            }
            return use.apply(result);
        } finally {
            if (activated) {
                request.deactivate();
            }
            context.release();
            requests.destroy(request);
        }
    }

    /** The bean whose instances are of {@code targetClass}: the most specific bean class it extends. */
    private Bean<?> beanOf(Method method, Class<?> targetClass) {
        Set<Bean<?>> candidates = beans.getBeans(method.getDeclaringClass());
        if (candidates.isEmpty()) {                    // an EJB seen through its business interfaces only
            for (Class<?> view : method.getDeclaringClass().getInterfaces()) {
                if (hasMethod(view, method) && candidates.isEmpty()) {
                    candidates = beans.getBeans(view);
                }
            }
        }
        Set<Bean<?>> found = candidates;
        return found.stream()
                .filter(bean -> bean.getBeanClass().isAssignableFrom(targetClass))
                .max(Comparator.comparingInt(bean -> depth(bean.getBeanClass())))
                .orElseGet(() -> beans.resolve(found));
    }

    private static int depth(Class<?> type) {
        int depth = 0;
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    private static boolean hasMethod(Class<?> type, Method method) {
        try {
            type.getMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
