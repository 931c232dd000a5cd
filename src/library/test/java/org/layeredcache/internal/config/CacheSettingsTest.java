package org.layeredcache.internal.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CacheSettingsTest {

    private final List<String> problems = new ArrayList<>();

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    @Test
    void builtInDefaults() {
        CacheSettings settings = CacheSettings.read("services", config(Map.of()), problems::add);

        assertThat(settings).isEqualTo(new CacheSettings("services", true, Optional.empty(), true, true, 10_000,
                Duration.ofSeconds(30), true, true, 100_000, Duration.ofSeconds(30), Duration.ofMillis(500),
                Duration.ofSeconds(2), 64L * 1024 * 1024, Duration.ofSeconds(5), 1024 * 1024, 16 * 1024,
                ValueForm.FORY, 16, Optional.empty(), Optional.empty(), false, 500, Optional.empty(), CacheSettings.Audit.OFF, Map.of()));
        assertThat(settings.ttlFor(Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
        assertThat(problems).isEmpty();
    }

    @Test
    void aCacheOwnSettingWinsOverTheSharedDefault() {
        Config config = config(Map.of(
                "layered-cache.default.near.ttl", "10s",
                "layered-cache.default.near.max-size", "500",
                "layered-cache.cache.services.near.ttl", "2s",
                "layered-cache.cache.services.ttl", "1h",
                "layered-cache.cache.services.cluster.enabled", "false",
                "layered-cache.default.cluster.value-form", "java"));

        CacheSettings services = CacheSettings.read("services", config, problems::add);
        CacheSettings users = CacheSettings.read("users", config, problems::add);

        assertThat(services.nearTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(services.nearMaxSize()).isEqualTo(500);
        assertThat(services.ttlFor(Duration.ofHours(24))).isEqualTo(Duration.ofHours(1));
        assertThat(services.clusterEnabled()).isFalse();
        assertThat(users.nearTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(users.clusterEnabled()).isTrue();
        assertThat(users.valueForm()).isEqualTo(ValueForm.JAVA);
        assertThat(problems).isEmpty();
    }

    @Test
    void theGlobalSwitchTurnsEveryCacheOff() {
        Config config = config(Map.of("layered-cache.enabled", "false", "layered-cache.cache.users.enabled", "true"));

        assertThat(CacheSettings.read("users", config, problems::add).enabled()).isFalse();
    }

    @Test
    void unreadableValuesAreReportedByPropertyAndReplacedByTheDefault() {
        Config config = config(Map.of(
                "layered-cache.cache.services.near.max-size", "-5",
                "layered-cache.cache.services.enabled", "yes",
                "layered-cache.cache.services.cluster.value-form", "xml",
                "layered-cache.default.ttl", "forever"));

        CacheSettings settings = CacheSettings.read("services", config, problems::add);

        assertThat(settings.nearMaxSize()).isEqualTo(10_000);
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.valueForm()).isEqualTo(ValueForm.FORY);
        assertThat(problems).containsExactlyInAnyOrder(
                "configuration property layered-cache.cache.services.near.max-size cannot be read:"
                        + " '-5' is not a positive number",
                "configuration property layered-cache.cache.services.enabled cannot be read:"
                        + " 'yes' is neither true nor false",
                "configuration property layered-cache.cache.services.cluster.value-form cannot be read:"
                        + " 'xml' is not a value form: write fory or java",
                "configuration property layered-cache.default.ttl cannot be read: 'forever' is not a duration;"
                        + " write 500ms, 30s, 5m, 24h, 7d or ISO-8601 such as PT24H");
    }
}
