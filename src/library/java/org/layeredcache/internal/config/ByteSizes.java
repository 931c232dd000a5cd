package org.layeredcache.internal.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the sizes written in configuration: {@code 512}, {@code 16KB}, {@code 1MB}, {@code 2GB} (powers of 1024). */
public final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|k|mb|m|gb|g)?");

    private ByteSizes() {
    }

    /**
     * Parses a positive size in bytes.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms, if it is not one
     */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        long size;
        try {
            if (!matcher.matches()) {
                throw new NumberFormatException();
            }
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "b" : matcher.group(2);
            size = switch (unit.charAt(0)) {
                case 'k' -> Math.multiplyExact(amount, 1024L);
                case 'm' -> Math.multiplyExact(amount, 1024L * 1024);
                case 'g' -> Math.multiplyExact(amount, 1024L * 1024 * 1024);
                default -> amount;
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write 512, 16KB, 1MB or 2GB");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a positive size");
        }
        return size;
    }
}
