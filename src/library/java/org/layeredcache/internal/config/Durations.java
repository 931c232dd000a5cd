package org.layeredcache.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the durations written in annotations and configuration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d} or ISO-8601. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * The duration configured as {@code property}, or {@code otherwise} when it is not set; one that cannot be read
     * or is shorter than {@code least} is reported to {@code problems} by its property name (and {@code otherwise}
     * returned).
     */
    public static Duration read(org.eclipse.microprofile.config.Config config, String property, Duration otherwise,
                                Duration least, java.util.List<String> problems) {
        String text = config.getOptionalValue(property, String.class).orElse(null);
        if (text == null) {
            return otherwise;
        }
        try {
            Duration value = parse(text);
            if (value.compareTo(least) < 0) {
                throw new IllegalArgumentException("it must be at least " + least.toMillis() + "ms");
            }
            return value;
        } catch (RuntimeException e) {
            problems.add("configuration property " + property + " = '" + text + "' is not a valid duration"
                    + " (500ms, 5s, 1d): " + e.getMessage());
            return otherwise;
        }
    }

    /**
     * Parses a positive duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms, if it is not one
     */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Duration duration;
        Matcher matcher = SHORT.matcher(trimmed);
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                duration = switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } else {
                duration = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write 500ms, 30s, 5m, 24h, 7d or"
                    + " ISO-8601 such as PT24H");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration");
        }
        return duration;
    }
}
