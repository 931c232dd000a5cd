package org.layeredcache;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the architecture easy to see (docs/ARCHITECTURE.md draws it). The public API package holds only what users
 * touch and never reaches into {@code org.layeredcache.internal}; inside, each package has one role and may use
 * only the packages below it, so arrows run one way and no package cycle can form.
 */
class ArchitectureTest {

    private static final String API = "org.layeredcache";
    private static final String INTERNAL = "org.layeredcache.internal..";

    /**
     * Each internal package and the internal packages it may use, top to bottom: the adapters the container calls
     * (interceptors, admin resource, tasks, metrics), then composing a cache, loading, the layers, the cluster
     * plumbing, and the basics (keys, settings, figures).
     */
    private static final Map<String, List<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put("interceptor", List.of("cache", "operation", "condition", "key", "config"));
        MAY_USE.put("admin", List.of("counter", "cache", "operation", "layer", "cluster", "key", "config", "stats"));
        MAY_USE.put("task", List.of("cache", "operation", "cluster", "key", "config", "stats"));
        MAY_USE.put("counter", List.of("cache", "operation", "layer", "cluster", "config"));
        MAY_USE.put("objects", List.of("cache", "operation", "layer", "cluster", "config"));
        MAY_USE.put("audit", List.of("cache", "load", "layer", "cluster", "key", "config", "stats"));
        MAY_USE.put("observe", List.of("cache", "stats"));
        MAY_USE.put("operation", List.of("condition", "key", "config"));
        MAY_USE.put("cache", List.of("load", "layer", "cluster", "key", "config", "stats"));
        MAY_USE.put("load", List.of("layer", "cluster", "key", "config", "stats"));
        MAY_USE.put("layer", List.of("cluster", "key", "config", "stats"));
        MAY_USE.put("cluster", List.of("key", "config"));
        MAY_USE.put("stats", List.of("key"));
        MAY_USE.put("config", List.of());
        MAY_USE.put("condition", List.of());
        MAY_USE.put("key", List.of());
    }

    private static JavaClasses library;

    @BeforeAll
    static void importLibrary() {
        // The library's own classes only: where its API was loaded from (the test helpers share its package root).
        library = new ClassFileImporter()
                .importUrl(CacheAdmin.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void theApiDependsOnNoInternalType() {
        noClasses().that().resideInAPackage(API)
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .because("an internal type in the API would be an internal type in users' code")
                .check(library);
    }

    @Test
    void theApiHoldsAnnotationsInterfacesRecordsAndExceptionsOnly() { // an annotation is an interface
        classes().that().resideInAPackage(API).and().arePublic()
                .should().beInterfaces().orShould().beRecords()
                .orShould().beAssignableTo(RuntimeException.class)
                .orShould().haveFullyQualifiedName(org.layeredcache.EntityTracking.class.getName())
                .orShould().haveFullyQualifiedName(org.layeredcache.EntityQueryTracking.class.getName())
                .because("interceptors, extensions and layers are internal; the classes are the JPA entity"
                        + " listener and the JPA provider's customizer, which users name in their orm.xml and"
                        + " persistence.xml")
                .check(library);
    }

    @Test
    void everyInternalPackageUsesOnlyThePackagesBelowIt() {
        for (Map.Entry<String, List<String>> rule : MAY_USE.entrySet()) {
            String[] others = MAY_USE.keySet().stream()
                    .filter(other -> !other.equals(rule.getKey()) && !rule.getValue().contains(other))
                    .map(other -> "org.layeredcache.internal." + other + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage("org.layeredcache.internal." + rule.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("internal." + rule.getKey() + " may use only " + rule.getValue()
                            + " (docs/ARCHITECTURE.md)")
                    .check(library);
        }
    }

    @Test
    void everyInternalPackageHasARule() {
        classes().that().resideInAPackage(INTERNAL)
                .should().resideInAnyPackage(MAY_USE.keySet().stream()
                        .map(name -> "org.layeredcache.internal." + name + "..").toArray(String[]::new))
                .because("a new package gets its place in the arrows of ArchitectureTest and docs/ARCHITECTURE.md")
                .check(library);
    }

    @Test
    void noInternalPackagesFormACycle() {
        slices().matching("org.layeredcache.internal.(*)..").should().beFreeOfCycles().check(library);
    }

    @Test
    void everyOtherClassOfTheLibraryIsInternal() {
        classes().should().resideInAnyPackage(Stream.of(API, INTERNAL).toArray(String[]::new))
                .check(library);
    }
}
