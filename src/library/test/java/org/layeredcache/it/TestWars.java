package org.layeredcache.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.layeredcache.testing.StatisticsAssert;

import java.io.File;

/** Builds the WARs the in-container tests deploy: the library as a jar in WEB-INF/lib, as users ship it. */
public final class TestWars {

    private TestWars() {
    }

    static File buildDirectory() {
        return new File(System.getProperty("project.buildDirectory", "target"));
    }

    /** The library jar, made from the compiled main classes (beans.xml and the extension's service file included). */
    public static JavaArchive library() {
        return ShrinkWrap.create(ExplodedImporter.class, "layered-cache.jar")
                .importDirectory(new File(buildDirectory(), "classes"))
                .as(JavaArchive.class);
    }

    /** The jars the library needs at run time (Caffeine, Apache Fory and theirs), as the build copied them. */
    public static File[] libraryJars() {
        File[] jars = new File(buildDirectory(), "war-libs/library").listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no jars in " + new File(buildDirectory(), "war-libs/library")
                    + ": run the build's process-test-resources phase first");
        }
        return jars;
    }

    /**
     * A WAR with the library, the jars it needs, the given persistence unit (a test resource under {@code it/}) and
     * configuration, plus the shared test beans.
     */
    public static WebArchive war(String name, String persistenceXml, String configuration) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibrary(library())
                .addAsLibraries(libraryJars())
                .addClasses(ServiceRow.class, ServiceView.class, LoadCounter.class, ServiceRepository.class,
                        Lookups.class, Lookups.Handle.class, Requests.class, TestWars.class, StatisticsAssert.class,
                        Notes.class)
                .addAsResource("it/" + persistenceXml, "META-INF/persistence.xml")
                .addAsResource("it/orm.xml", "META-INF/orm.xml")
                .addAsResource(new StringAsset(configuration), "META-INF/microprofile-config.properties")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }
}
