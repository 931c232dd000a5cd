package org.layeredcache.internal.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * The form a cache's cluster layer writes values in (setting {@code cluster.value-form}). Every node reads both,
 * whatever it writes: each entry says which form it holds. Internal: not part of the API.
 */
public enum ValueForm {
    /** Apache Fory's Java form, several times faster to write and read than Java serialization. */
    FORY,
    /** Java serialization, as the library wrote values before Fory. */
    JAVA;

    /**
     * The form named by {@code text}, case ignored.
     *
     * @throws IllegalArgumentException if no form has that name
     */
    static ValueForm parse(String text) {
        return Arrays.stream(values()).filter(form -> form.name().equals(text.trim().toUpperCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a value form:"
                        + " write fory or java"));
    }
}
