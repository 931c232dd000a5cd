package org.layeredcache.internal.operation;

import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;
import org.layeredcache.internal.config.CacheSettings;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The extension's part for the JSR-107 annotations: parses each annotated method's operation, and replaces its
 * annotation on the CDI type by the library's binding, so that the library's interceptor runs for it and the
 * server's own JSR-107 interceptors do not. Classes named in {@code layered-cache.jsr107.leave-to-server} are left
 * alone. Not thread-safe: one per deployment, called while CDI discovers the beans.
 */
final class StandardCollector {

    private static final Logger LOG = Logger.getLogger(StandardCollector.class.getName());

    private final OperationParser parser;
    private final CacheOperations operations;
    private final Set<String> cacheNames;
    private StandardSettings settings;
    private StandardParser standardParser;

    /**
     * @param parser     the deployment's parser, which collects the problems
     * @param operations where the operations go
     * @param cacheNames the deployment's cache names, to which each operation's are added
     */
    StandardCollector(OperationParser parser, CacheOperations operations, Set<String> cacheNames) {
        this.parser = parser;
        this.operations = operations;
        this.cacheNames = cacheNames;
    }

    <T> void collect(ProcessAnnotatedType<T> event) {
        AnnotatedType<T> type = event.getAnnotatedType();
        if (type.isAnnotationPresent(Interceptor.class) || settings().leftToServer(type.getJavaClass())) {
            return; // interceptors carry the bindings; the server's own handle classes left to them
        }
        type.getAnnotations().stream().filter(StandardParser::isStandard).forEach(annotation -> parser.onClass(
                type.getJavaClass(), "@" + annotation.annotationType().getSimpleName()));
        boolean any = false;
        for (AnnotatedMethod<? super T> annotated : type.getMethods()) {
            if (StandardParser.annotated(annotated)) {
                any = true;
                add(annotated.getJavaMember());
            }
        }
        if (any) {
            var configurator = event.configureAnnotatedType().remove(StandardParser::isStandard);
            configurator.filterMethods(StandardParser::annotated).forEach(method -> method
                    .remove(StandardParser::isStandard).add(StandardCaching.Literal.INSTANCE));
        }
    }

    private void add(Method method) {
        StandardOperation operation = standardParser().parse(method);
        if (operation == null) {
            return;
        }
        operations.add(method, operation);
        cacheNames.add(operation.cache());
        if (operation.exceptionCache() != null) {
            cacheNames.add(operation.exceptionCache());
        }
        if (operation.read() != null && operation.generator() == null) {
            operations.add(method, operation.read());   // its keys checked with the other reads'
        }
    }

    /**
     * How the settings of a cache named only at run time, by a JSR-107 cache resolver, are read; {@code null} when
     * no method of the deployment has a resolver.
     */
    Function<String, CacheSettings> lateSettings() {
        return standardParser != null && standardParser.resolvesLate() ? StandardCollector::lateSettings : null;
    }

    /** The JSR-107 settings, read once from MicroProfile Config. */
    private StandardSettings settings() {
        if (settings == null) {
            settings = StandardSettings.read(ConfigProvider.getConfig(), parser.problems());
        }
        return settings;
    }

    /** The parser of the JSR-107 annotations, one for the deployment. */
    private StandardParser standardParser() {
        if (standardParser == null) {
            standardParser = settings().parser(parser);
        }
        return standardParser;
    }

    /**
     * The settings of a cache a JSR-107 cache resolver names at run time, read from MicroProfile Config when it is
     * first used; a value that cannot be read is logged and replaced by its default.
     */
    private static CacheSettings lateSettings(String cache) {
        return CacheSettings.read(cache, ConfigProvider.getConfig(), problem -> LOG.warning("Cache '" + cache
                + "', named by a cache resolver: " + problem));
    }
}
