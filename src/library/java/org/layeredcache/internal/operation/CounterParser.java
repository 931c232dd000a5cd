package org.layeredcache.internal.operation;

import org.layeredcache.FlushesCounter;
import org.layeredcache.ReadsCounter;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.layeredcache.internal.operation.BackgroundChecks.box;
import static org.layeredcache.internal.operation.BackgroundChecks.checkCallable;
import static org.layeredcache.internal.operation.BackgroundChecks.checkName;
import static org.layeredcache.internal.operation.BackgroundChecks.reporter;

/**
 * Turns the counter annotations of the deployment ({@link FlushesCounter}, {@link ReadsCounter}) into
 * {@link CounterOperation}s, reporting each misdeclaration to the deployment's one list of problems. Not
 * thread-safe: one per deployment.
 */
final class CounterParser {

    private final List<String> problems;
    private final Map<String, Method> flushes = new TreeMap<>();
    private final Map<String, Method> reads = new TreeMap<>();

    CounterParser(List<String> problems) {
        this.problems = problems;
    }

    void flush(Method method, FlushesCounter annotation) {
        Consumer<String> report = reporter(problems, method, "@FlushesCounter(\"" + annotation.value() + "\")");
        checkName(annotation.value(), "counter name", report);
        checkCallable(method, report);
        if (method.getReturnType() != void.class) {
            report.accept("the method returns " + method.getReturnType().getSimpleName() + "; it must return void");
        }
        if (method.getParameterCount() != 1 || keyType(method) == null) {
            report.accept("the method must take one parameter, a Map<K, Long> of the additions to persist per key,"
                    + " K being String, Long or Integer");
        }
        Method other = flushes.putIfAbsent(annotation.value(), method);
        if (other != null) {
            report.accept(OperationParser.describe(other) + " persists counter '" + annotation.value()
                    + "' already; one method per counter");
        }
    }

    void read(Method method, ReadsCounter annotation) {
        Consumer<String> report = reporter(problems, method, "@ReadsCounter(\"" + annotation.value() + "\")");
        checkName(annotation.value(), "counter name", report);
        checkCallable(method, report);
        if (method.getReturnType() != long.class && method.getReturnType() != Long.class) {
            report.accept("the method returns " + method.getReturnType().getSimpleName() + "; it must return long");
        }
        if (method.getParameterCount() != 1) {
            report.accept("the method must take one parameter, the counter's key");
        }
        Method other = reads.putIfAbsent(annotation.value(), method);
        if (other != null) {
            report.accept(OperationParser.describe(other) + " reads counter '" + annotation.value()
                    + "' already; one method per counter");
        }
    }

    /** The counters, each read matched with its flush; problems of the match are reported. */
    Map<String, CounterOperation> counters() {
        Map<String, CounterOperation> counters = new TreeMap<>();
        reads.forEach((name, read) -> {
            if (!flushes.containsKey(name)) {
                reporter(problems, read, "@ReadsCounter(\"" + name + "\")").accept("no @FlushesCounter method declares"
                        + " counter '" + name + "'; the declared counters are " + flushes.keySet());
            }
        });
        flushes.forEach((name, flush) -> {
            Class<?> keyType = keyType(flush);
            Method read = reads.get(name);
            if (keyType == null) {
                return;                                   // reported
            }
            if (read != null && read.getParameterCount() == 1 && box(read.getParameterTypes()[0]) != keyType) {
                reporter(problems, read, "@ReadsCounter(\"" + name + "\")").accept("its parameter is "
                        + read.getParameterTypes()[0].getSimpleName() + ", but the keys of counter '" + name
                        + "' are " + keyType.getSimpleName() + " (" + OperationParser.describe(flush) + ")");
            }
            FlushesCounter declared = flush.getAnnotation(FlushesCounter.class);
            counters.put(name, new CounterOperation(name, flush, read, keyType, declared.negative(),
                    declared.awaitCluster()));
        });
        return counters;
    }

    /** K of the method's one {@code Map<K, Long>} parameter, or {@code null} if it has no such parameter. */
    private static Class<?> keyType(Method method) {
        if (method.getParameterCount() != 1
                || !(method.getGenericParameterTypes()[0] instanceof ParameterizedType map)
                || map.getRawType() != Map.class) {
            return null;
        }
        Type[] arguments = map.getActualTypeArguments();
        if (arguments[1] != Long.class || !(arguments[0] instanceof Class<?> key)
                || !CounterOperation.KEY_TYPES.contains(key)) {
            return null;
        }
        return key;
    }
}
