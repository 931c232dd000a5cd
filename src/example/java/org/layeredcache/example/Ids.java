package org.layeredcache.example;

import jakarta.ws.rs.BadRequestException;

/**
 * Reads ids from path and query parameters, which arrive as text: a missing or malformed id is a 400 that names
 * the parameter (declaring the parameters {@code long} would answer a bare 404, as JAX-RS does for any
 * conversion failure).
 */
final class Ids {

    private Ids() {
    }

    /**
     * The id in {@code value}, a positive whole number.
     *
     * @param parameter how the caller names it, such as "query parameter 'user'"
     * @throws BadRequestException if it is missing, not a number, not positive or too large
     */
    static long parse(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException(parameter + " is required");
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException notALong) {
            // answered below
        }
        throw new BadRequestException(parameter + " must be a positive whole number below 2^63, not '"
                + shorten(value) + "'");
    }

    static long path(String name, String value) {
        return parse("path parameter '" + name + "'", value);
    }

    static long query(String name, String value) {
        return parse("query parameter '" + name + "'", value);
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
