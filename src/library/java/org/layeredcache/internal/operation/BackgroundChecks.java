package org.layeredcache.internal.operation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.function.Consumer;

/**
 * The checks the counters' and the shared objects' annotations share ({@link CounterParser}, {@link ObjectParser}):
 * a name, a method the library calls through its bean, a key of one of the types that travel as text, and where a
 * problem is reported. Stateless.
 */
final class BackgroundChecks {

    private BackgroundChecks() {
    }

    /** The reporter of problems of {@code method} under {@code annotation}, into the deployment's one list. */
    static Consumer<String> reporter(List<String> problems, Method method, String annotation) {
        String where = OperationParser.describe(method) + " " + annotation + ": ";
        return problem -> problems.add(where + problem);
    }

    /** Checks a name ({@code what}: how the message calls it, such as "counter name"). */
    static void checkName(String name, String what, Consumer<String> report) {
        if (name.isBlank()) {
            report.accept("the " + what + " is blank");
        } else if (!name.equals(name.trim()) || name.indexOf('\0') >= 0) {
            report.accept("the " + what + " '" + name + "' starts or ends with spaces or holds a NUL character");
        }
    }

    static void checkCallable(Method method, Consumer<String> report) {
        if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
            report.accept("the method must be public and not static: it is called through the bean");
        }
    }

    /** The box of a primitive key type ({@code long}, {@code int}); any other type as it is. */
    static Class<?> box(Class<?> type) {
        if (type == long.class) {
            return Long.class;
        }
        return type == int.class ? Integer.class : type;
    }

    /** The key of type {@code keyType} ({@link CounterOperation#KEY_TYPES}) whose text form is {@code text}. */
    static Object key(Class<?> keyType, String text) {
        if (keyType == Long.class) {
            return Long.valueOf(text);
        }
        return keyType == Integer.class ? (Object) Integer.valueOf(text) : text;
    }
}
