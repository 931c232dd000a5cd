package org.layeredcache.internal.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Setup work runs on a thread that carries nothing of its caller's context: the server keeps the invocation context
 * of a request in an inheritable thread local, and a Hazelcast object created with it pays for re-entering it
 * around every operation.
 */
class CleanContextTest {

    private static final InheritableThreadLocal<String> CONTEXT = new InheritableThreadLocal<>();

    @Test
    void theSetupThreadInheritsNoneOfTheCallersInheritableThreadLocals() {
        CONTEXT.set("the caller's request");
        try {
            String seen = CleanContext.call(CONTEXT::get, 5_000);
            assertThat(seen).isNull();
        } finally {
            CONTEXT.remove();
        }
    }

    @Test
    void theSetupThreadUsesTheCallersClassLoader() {
        ClassLoader caller = new ClassLoader(getClass().getClassLoader()) { };
        Thread current = Thread.currentThread();
        ClassLoader before = current.getContextClassLoader();
        current.setContextClassLoader(caller);
        try {
            assertThat(CleanContext.call(() -> Thread.currentThread().getContextClassLoader(), 5_000))
                    .isSameAs(caller);
        } finally {
            current.setContextClassLoader(before);
        }
    }
}
