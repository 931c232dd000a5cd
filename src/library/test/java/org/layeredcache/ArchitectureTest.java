package org.layeredcache;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the public API small and the internals replaceable: the package {@code org.layeredcache} holds only what
 * users touch and never reaches into {@code org.layeredcache.internal}, so no internal type can appear in a
 * signature a user sees; the internals stay out of the way of the users' own code.
 */
class ArchitectureTest {

    private static final String API = "org.layeredcache";
    private static final String INTERNAL = "org.layeredcache.internal..";

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
                .because("interceptors, extensions and layers are internal")
                .check(library);
    }

    @Test
    void theLayersKnowNothingOfTheirAdapters() {
        noClasses().that().resideInAPackage("org.layeredcache.internal.layer..")
                .should().dependOnClassesThat().resideInAnyPackage("org.layeredcache.internal.interceptor..",
                        "org.layeredcache.internal.admin..", "org.layeredcache.internal.observe..")
                .because("interceptors, the admin resource and the metrics use the layers, not the other way round")
                .check(library);
    }

    @Test
    void everyOtherClassOfTheLibraryIsInternal() {
        classes().should().resideInAnyPackage(API, INTERNAL)
                .check(library);
    }
}
