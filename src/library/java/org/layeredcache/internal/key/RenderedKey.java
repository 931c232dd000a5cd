package org.layeredcache.internal.key;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keys written as they render ({@link CacheKey#toString()}, such as {@code service-42}), read back for operators
 * who name a key by hand (the admin resource, warm-up tasks): placeholders of integral, boolean, enum and string
 * types are read back through the template that renders them. Stateless.
 */
public final class RenderedKey {

    private RenderedKey() {
    }

    /**
     * The key that {@code template} renders as {@code text}; empty when the text does not have the template's
     * form, or a placeholder has a type that cannot be read back.
     */
    public static Optional<CacheKey> parse(KeyTemplate template, String text) {
        Object[] values = values(template, text);
        return values == null ? Optional.empty() : Optional.of(CacheKey.of(template.shape(), values));
    }

    /**
     * The arguments of a call of a method with {@code parameterTypes} whose key renders as {@code text}: empty when
     * the text does not fit ({@link #parse}), or when the placeholders are not exactly the method's parameters, each
     * once and in full (no property of one), so the call cannot be made from the key alone.
     */
    public static Optional<Object[]> arguments(KeyTemplate template, String text, Class<?>[] parameterTypes) {
        if (!callable(template, parameterTypes.length)) {
            return Optional.empty();
        }
        Object[] values = values(template, text);
        if (values == null) {
            return Optional.empty();
        }
        Object[] arguments = new Object[parameterTypes.length];
        for (int i = 0; i < template.placeholders(); i++) {
            Object value = values[i];
            Class<?> type = KeyTemplate.boxed(parameterTypes[template.placeholderParameter(i)]);
            if (value instanceof Long number) {
                value = narrowed(number, type);
                if (value == null) {
                    return Optional.empty();
                }
            }
            arguments[template.placeholderParameter(i)] = value;
        }
        return Optional.of(arguments);
    }

    /** Whether each of the method's parameters is one placeholder, whole: a key then gives back the arguments. */
    private static boolean callable(KeyTemplate template, int parameterCount) {
        boolean[] seen = new boolean[parameterCount];
        for (int i = 0; i < template.placeholders(); i++) {
            int parameter = template.placeholderParameter(i);
            if (!template.placeholderIsWholeParameter(i) || seen[parameter]) {
                return false;
            }
            seen[parameter] = true;
        }
        for (boolean one : seen) {
            if (!one) {
                return false;
            }
        }
        return true;
    }

    /** The placeholder values of a key rendered as {@code text}, or {@code null} when it does not fit. */
    private static Object[] values(KeyTemplate template, String text) {
        String[] literals = template.shape().split("\\{}", -1);
        int placeholders = template.placeholders();
        if (literals.length != placeholders + 1) {
            return null;
        }
        StringBuilder pattern = new StringBuilder(Pattern.quote(literals[0]));
        for (int i = 0; i < placeholders; i++) {
            Class<?> type = KeyTemplate.valueType(template.placeholderType(i));
            String group = type == Long.class ? "(-?\\d+)" : type == Boolean.class ? "(true|false)"
                    : type.isEnum() ? "(\\w+)" : type == String.class ? "(.*?)" : null;
            if (group == null) {
                return null;
            }
            pattern.append(group).append(Pattern.quote(literals[i + 1]));
        }
        Matcher matcher = Pattern.compile(pattern.toString()).matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        Object[] values = new Object[placeholders];
        try {
            for (int i = 0; i < placeholders; i++) {
                values[i] = value(KeyTemplate.valueType(template.placeholderType(i)), matcher.group(i + 1));
            }
        } catch (IllegalArgumentException notOfThisType) {
            return null;
        }
        return values;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object value(Class<?> type, String text) {
        if (type == Long.class) {
            return Long.parseLong(text);
        }
        if (type == Boolean.class) {
            return Boolean.parseBoolean(text);
        }
        if (type.isEnum()) {
            return Enum.valueOf((Class) type, text);
        }
        return text;
    }

    /** {@code number} as a value of the integral {@code type}, or {@code null} when it does not fit. */
    private static Object narrowed(long number, Class<?> type) {
        if (type == Long.class) {
            return number;
        }
        if (type == Integer.class && number == (int) number) {
            return (int) number;
        }
        if (type == Short.class && number == (short) number) {
            return (short) number;
        }
        return type == Byte.class && number == (byte) number ? (byte) number : null;
    }
}
