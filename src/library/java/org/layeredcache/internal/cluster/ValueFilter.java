package org.layeredcache.internal.cluster;

import java.io.ObjectInputFilter;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * Decides which classes a value read from the cluster layer may contain, before any of them is instantiated:
 * the JDK's data classes (of {@code java.lang}, {@code java.util} and its concurrent packages, {@code java.time},
 * {@code java.math} and {@code java.sql}), and classes of the application's own class loader (its WAR, where its
 * results' types live). Everything else is rejected, such as classes of the server or of other applications,
 * dynamic proxies, reflection and JMX: the parts gadget chains are built from. An optional pattern in the syntax
 * of {@link ObjectInputFilter.Config#createFilter} (configuration {@code layered-cache.serialization.filter}) is
 * asked first, to allow more classes (such as a JPA provider's for cached entities) or to refuse some of the
 * application's. Graphs are capped far above what a cached value needs. Immutable and thread-safe.
 */
final class ValueFilter extends ClassFilter {

    static final long MAX_DEPTH = 200;
    static final long MAX_REFERENCES = 10_000_000;
    static final long MAX_ARRAY_LENGTH = 100_000_000;

    private static final Set<String> JDK_PACKAGES = Set.of("java.lang", "java.util", "java.util.concurrent",
            "java.util.concurrent.atomic", "java.time", "java.time.chrono", "java.time.zone", "java.math",
            "java.sql");

    private final ClassLoader application;
    private final ObjectInputFilter configured;

    /**
     * @param application the application's class loader
     * @param configured  the configured pattern's filter, or {@code null} for none
     */
    ValueFilter(ClassLoader application, ObjectInputFilter configured) {
        super(MAX_DEPTH, MAX_REFERENCES, MAX_ARRAY_LENGTH, Long.MAX_VALUE);
        this.application = application;
        this.configured = configured;
    }

    @Override
    Status firstOpinion(FilterInfo info) {
        return configured == null ? Status.UNDECIDED : configured.checkInput(info);
    }

    @Override
    boolean allowed(Class<?> type) {
        if (Proxy.isProxyClass(type)) {
            return false;
        }
        if (type.getClassLoader() == null) {
            return JDK_PACKAGES.contains(type.getPackageName());
        }
        return type.getClassLoader() == application;
    }
}
