package org.layeredcache.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.layeredcache.testing.PayaraMicroProcess;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Misuse fails the deployment on the real server, with one message that lists every problem. Payara Micro is
 * started by the test itself (no clustering needed), so that its log can be read.
 */
class MisuseOnPayaraIT {

    @Test
    void payaraRefusesTheDeploymentWithEveryProblemListed() throws Exception {
        WebArchive war = ShrinkWrap.create(WebArchive.class, "misused.war")
                .addAsLibrary(TestWars.library())
                .addAsLibraries(org.layeredcache.it.TestWars.libraryJars())
                .addClass(MisusedBean.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
        Path file = PayaraMicroProcess.buildDirectory().toPath().resolve("misused.war");
        war.as(ZipExporter.class).exportTo(file.toFile(), true);

        try (PayaraMicroProcess payara = PayaraMicroProcess.start("misuse", file, List.of())) {
            assertThat(payara.awaitOutput(Pattern.compile("5 caching problems in this deployment"),
                    Duration.ofMinutes(3))).as("the deployment failed with our message:%n%s", payara.output())
                    .isTrue();
            String bean = MisusedBean.class.getName();
            assertThat(payara.output()).contains(
                    bean + "#unknownPlaceholder(long) @CachedRead(cache = \"misused\", key = \"service-{serviceId}\"):"
                            + " unknown placeholder {serviceId}: no parameter is named 'serviceId'; the parameters"
                            + " are (long id)",
                    bean + "#badTtl(long) @CachedRead(cache = \"misused\", key = \"s-{id}\", ttl = \"a while\"): ttl"
                            + " 'a while' is not a duration",
                    bean + "#nothingToCache(long) @CachedRead(cache = \"misused\", key = \"s-{id}\"): the method"
                            + " returns void: there is no result to cache",
                    bean + "#keyAndAllEntries(long) @Invalidates(cache = \"misused\", key = \"s-{id}\","
                            + " allEntries = true): allEntries = true drops the whole cache; leave key empty",
                    bean + "#badCondition(long) @CachedRead(cache = \"misused\", key = \"c-{id}\", condition ="
                            + " \"id >> 0\"): condition = \"id >> 0\": not a valid Jakarta EL expression");
        }
    }
}
