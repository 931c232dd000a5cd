package org.layeredcache.internal.operation;

import org.layeredcache.LoadsObject;
import org.layeredcache.StoresObjects;

import java.io.Serializable;
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
 * Turns the shared-object annotations of the deployment ({@link StoresObjects}, {@link LoadsObject}) into
 * {@link ObjectOperation}s, reporting each misdeclaration to the deployment's one list of problems. Not
 * thread-safe: one per deployment.
 */
final class ObjectParser {

    private final List<String> problems;
    private final Map<String, Method> stores = new TreeMap<>();
    private final Map<String, Method> loads = new TreeMap<>();

    ObjectParser(List<String> problems) {
        this.problems = problems;
    }

    void store(Method method, StoresObjects annotation) {
        Consumer<String> report = reporter(problems, method, "@StoresObjects(\"" + annotation.value() + "\")");
        checkName(annotation.value(), "name", report);
        checkCallable(method, report);
        if (method.getReturnType() != void.class) {
            report.accept("the method returns " + method.getReturnType().getSimpleName() + "; it must return void");
        }
        Type[] types = mapTypes(method);
        if (types == null || !(types[0] instanceof Class<?> key) || !CounterOperation.KEY_TYPES.contains(key)) {
            report.accept("the method must take one parameter, a Map<K, V> of the objects to store per key, K"
                    + " being String, Long or Integer");
        } else if (!(raw(types[1]) instanceof Class<?> value) || !Serializable.class.isAssignableFrom(value)
                && !value.isInterface()) {
            report.accept("the objects' type " + types[1].getTypeName() + " is not Serializable; they travel"
                    + " through the cluster");
        }
        Method other = stores.putIfAbsent(annotation.value(), method);
        if (other != null) {
            report.accept(OperationParser.describe(other) + " stores objects '" + annotation.value()
                    + "' already; one method per kind");
        }
    }

    void load(Method method, LoadsObject annotation) {
        Consumer<String> report = reporter(problems, method, "@LoadsObject(\"" + annotation.value() + "\")");
        checkName(annotation.value(), "name", report);
        checkCallable(method, report);
        if (method.getParameterCount() != 1) {
            report.accept("the method must take one parameter, the object's key");
        }
        if (method.getReturnType() == void.class) {
            report.accept("the method returns void; it must return the object");
        }
        Method other = loads.putIfAbsent(annotation.value(), method);
        if (other != null) {
            report.accept(OperationParser.describe(other) + " loads objects '" + annotation.value()
                    + "' already; one method per kind");
        }
    }

    /** The kinds, each store matched with its load; problems of the match are reported. */
    Map<String, ObjectOperation> objects() {
        Map<String, ObjectOperation> objects = new TreeMap<>();
        loads.forEach((name, load) -> {
            if (!stores.containsKey(name)) {
                reporter(problems, load, "@LoadsObject(\"" + name + "\")").accept("no @StoresObjects method declares"
                        + " objects '" + name + "'; the declared kinds are " + stores.keySet());
            }
        });
        stores.forEach((name, store) -> {
            Type[] types = mapTypes(store);
            if (types == null || !(types[0] instanceof Class<?> keyType)) {
                return;                                   // reported
            }
            Method load = loads.get(name);
            Consumer<String> report = reporter(problems, store, "@StoresObjects(\"" + name + "\")");
            if (load == null) {
                report.accept("no @LoadsObject(\"" + name + "\") method loads one object from the database;"
                        + " add one (it may return null)");
                return;
            }
            Consumer<String> loadReport = reporter(problems, load, "@LoadsObject(\"" + name + "\")");
            if (load.getParameterCount() == 1 && box(load.getParameterTypes()[0]) != keyType) {
                loadReport.accept("its parameter is " + load.getParameterTypes()[0].getSimpleName() + ", but the"
                        + " keys of objects '" + name + "' are " + keyType.getSimpleName() + " ("
                        + OperationParser.describe(store) + ")");
            }
            if (raw(types[1]) instanceof Class<?> value && !value.isAssignableFrom(box(load.getReturnType()))) {
                loadReport.accept("it returns " + load.getReturnType().getSimpleName() + ", but objects '" + name
                        + "' are " + value.getSimpleName() + " (" + OperationParser.describe(store) + ")");
            }
            objects.put(name, new ObjectOperation(name, store, load, keyType));
        });
        return objects;
    }

    /** K and V of the method's one {@code Map<K, V>} parameter, or {@code null} if it has no such parameter. */
    private static Type[] mapTypes(Method method) {
        if (method.getParameterCount() != 1
                || !(method.getGenericParameterTypes()[0] instanceof ParameterizedType map)
                || map.getRawType() != Map.class) {
            return null;
        }
        return map.getActualTypeArguments();
    }

    private static Type raw(Type type) {
        return type instanceof ParameterizedType parameterized ? parameterized.getRawType() : type;
    }
}
