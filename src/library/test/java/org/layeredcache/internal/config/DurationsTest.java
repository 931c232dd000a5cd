package org.layeredcache.internal.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void readsShortFormsAndIso() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse(" 24h ")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("p1d")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void refusesWhatIsNotAPositiveDuration() {
        assertThatThrownBy(() -> Durations.parse("forever")).hasMessage(
                "'forever' is not a duration; write 500ms, 30s, 5m, 24h, 7d or ISO-8601 such as PT24H");
        assertThatThrownBy(() -> Durations.parse("0s")).hasMessage("'0s' is not a positive duration");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> Durations.parse("PT-5S")).hasMessage("'PT-5S' is not a positive duration");
    }
}
