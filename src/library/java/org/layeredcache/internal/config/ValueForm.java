package org.layeredcache.internal.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The form the cluster layer writes values in ({@code layered-cache.serialization.form}). Every node reads both,
 * whatever it writes: each entry says which form it holds. Internal: not part of the API.
 */
public enum ValueForm {
    /** Apache Fory's Java form, several times faster to write and read than Java serialization. */
    FORY,
    /** Java serialization, as the library wrote values before Fory. */
    JAVA;

    /** The configuration property that chooses the form. */
    public static final String PROPERTY = "layered-cache.serialization.form";

    /** The form named by {@code text} (case ignored), or empty if none is. */
    public static Optional<ValueForm> named(String text) {
        return Arrays.stream(values()).filter(form -> form.name().equals(text.trim().toUpperCase(Locale.ROOT)))
                .findFirst();
    }
}
