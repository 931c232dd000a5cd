package org.layeredcache.testing;

import jakarta.enterprise.context.control.RequestContextController;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.layeredcache.CacheAdmin;
import org.layeredcache.internal.operation.LayeredCacheExtension;

import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * A Weld SE container holding the library and a test's beans, like a deployment holding the library jar.
 * Discovery is off: the container sees the library's packages and the classes the test names, nothing else.
 */
public final class Containers {

    private Containers() {
    }

    /** Boots a container with the library, the given beans, and a cache manager on the shared member. */
    public static WeldContainer start(Class<?>... beans) {
        return weld(beans).addBeanClass(SharedClusterCacheManager.class).initialize();
    }

    /** Boots a container with the library and exactly the given beans. */
    public static Weld weld(Class<?>... beans) {
        return new Weld()
                .containerId(UUID.randomUUID().toString())
                .disableDiscovery()
                .addPackages(true, CacheAdmin.class)
                // With discovery off, Weld SE does not read META-INF/services; a server does.
                .addExtension(new LayeredCacheExtension())
                .addBeanClasses(beans);
    }

    /** Runs {@code work} in a request context of its own, as one HTTP request would. */
    public static <T> T inRequest(WeldContainer container, Callable<T> work) throws Exception {
        RequestContextController request = container.select(RequestContextController.class).get();
        if (!request.activate()) {
            throw new IllegalStateException("a request context is already active");
        }
        try {
            return work.call();
        } finally {
            request.deactivate();
        }
    }
}
