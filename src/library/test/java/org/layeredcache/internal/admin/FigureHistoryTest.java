package org.layeredcache.internal.admin;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's history: a sample kept every 20 s, 15 minutes of them, and always the figures of now last. */
class FigureHistoryTest {

    private static Map<String, JsonObject> figures(long calls) {
        return Map.of("services", Json.createObjectBuilder().add("calls", calls).add("loads", calls / 10)
                .add("recentDelayMaxMillis", 7).build());
    }

    @Test
    void keepsASampleEveryPeriodAndAlwaysEndsWithNow() {
        FigureHistory history = new FigureHistory();
        long start = 1_000_000;

        assertThat(history.withNow(start, figures(10))).hasSize(1);
        JsonArray between = history.withNow(start + 5_000, figures(20));
        assertThat(between).as("the first kept, now after it").hasSize(2);
        assertThat(between.getJsonObject(1).getJsonNumber("t").longValue()).isEqualTo(start + 5_000);
        JsonArray numbers = between.getJsonObject(1).getJsonObject("caches").getJsonArray("services");
        assertThat(numbers.getJsonNumber(FigureHistory.FIELDS.indexOf("calls")).longValue()).isEqualTo(20);
        assertThat(numbers.getJsonNumber(FigureHistory.FIELDS.indexOf("recentDelayMaxMillis")).longValue())
                .isEqualTo(7);
        assertThat(numbers.getJsonNumber(FigureHistory.FIELDS.indexOf("faults")).longValue())
                .as("a field the figures lack counts 0").isZero();

        assertThat(history.withNow(start + FigureHistory.SAMPLE_SECONDS * 1000L, figures(30)))
                .as("due: kept, and it is now").hasSize(2);
        assertThat(history.withNow(start + FigureHistory.SAMPLE_SECONDS * 1000L + 1, figures(31))).hasSize(3);
    }

    @Test
    void keepsFifteenMinutes() {
        FigureHistory history = new FigureHistory();
        JsonArray all = null;
        for (int i = 0; i < 200; i++) {
            all = history.withNow(i * FigureHistory.SAMPLE_SECONDS * 1000L, figures(i));
        }
        assertThat(all).hasSize(FigureHistory.MINUTES * 60 / FigureHistory.SAMPLE_SECONDS + 1);
        assertThat(all.getJsonObject(all.size() - 1).getJsonNumber("t").longValue())
                .isEqualTo(199L * FigureHistory.SAMPLE_SECONDS * 1000);
    }
}
