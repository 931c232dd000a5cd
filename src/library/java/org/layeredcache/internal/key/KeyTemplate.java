package org.layeredcache.internal.key;

import java.io.Serializable;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A key template parsed once for one method: its shape and, for each placeholder, where the value comes from
 * (a parameter, then optionally a chain of properties). {@link #keyFor(Object[])} turns a call's arguments into a
 * {@link CacheKey}. The rules are those listed on {@code @CachedRead}. Immutable and thread-safe.
 */
public final class KeyTemplate {

    private final String text;
    private final String shape;
    private final ValueSource[] sources;

    private KeyTemplate(String text, String shape, ValueSource[] sources) {
        this.text = text;
        this.shape = shape;
        this.sources = sources;
    }

    /**
     * Parses {@code template} against the parameters of {@code method}. Every problem found (bad syntax, unknown
     * parameter or property, a value that cannot travel to the cluster) is handed to {@code problems}, in words
     * that name the placeholder and the parameter.
     *
     * @return the template, or {@code null} if a problem was found
     */
    public static KeyTemplate parse(String template, Method method, Consumer<String> problems) {
        return parse(template, method, -1, null, problems);
    }

    /**
     * As {@link #parse(String, Method, Consumer)}, for a read of many keys: the parameter at {@code each} is a
     * collection, and its placeholder stands for one element, of type {@code elementType}.
     */
    public static KeyTemplate parse(String template, Method method, int each, Class<?> elementType,
                                    Consumer<String> problems) {
        List<String> placeholders = new ArrayList<>();
        StringBuilder shape = new StringBuilder(template.length());
        int problemCount = syntax(template, shape, placeholders, problems);
        if (!placeholders.isEmpty() && method.getParameterCount() > 0 && !method.getParameters()[0].isNamePresent()) {
            problems.accept("placeholders name parameters, but " + method.getDeclaringClass().getName()
                    + " was compiled without parameter names; compile it with -parameters (javac) or"
                    + " <parameters>true</parameters> (maven-compiler-plugin)");
            return null;
        }
        ValueSource[] sources = new ValueSource[placeholders.size()];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = resolve(placeholders.get(i), method, each, elementType, problems);
            if (sources[i] == null) {
                problemCount++;
            }
        }
        return problemCount == 0 ? new KeyTemplate(template, shape.toString(), sources) : null;
    }

    /**
     * Parses {@code template} whose placeholders name properties of one value of {@code valueType}
     * ({@code "service-{id}"}, {@code "{owner.id}-{name}"}), as a bulk preload derives each value's key;
     * {@link #keyOfValue} gives the key. Problems are handed to {@code problems}.
     *
     * @return the template, or {@code null} if a problem was found
     */
    public static KeyTemplate ofValues(String template, Class<?> valueType, Consumer<String> problems) {
        List<String> placeholders = new ArrayList<>();
        StringBuilder shape = new StringBuilder(template.length());
        int problemCount = syntax(template, shape, placeholders, problems);
        ValueSource[] sources = new ValueSource[placeholders.size()];
        for (int i = 0; i < sources.length; i++) {
            String placeholder = placeholders.get(i);
            if (placeholder.isEmpty()) {
                problemCount++;
                continue;
            }
            String[] path = placeholder.split("\\.", -1);
            Accessor[] accessors = new Accessor[path.length];
            Class<?> type = valueType;
            for (int j = 0; j < path.length; j++) {
                accessors[j] = path[j].isEmpty() ? null : Accessor.find(type, path[j]);
                if (accessors[j] == null) {
                    problems.accept("placeholder {" + placeholder + "}: type " + type.getName() + " has no property '"
                            + path[j] + "' (no get" + capitalise(path[j]) + "(), is" + capitalise(path[j]) + "(), "
                            + path[j] + "() or field " + path[j] + ")");
                    break;
                }
                type = accessors[j].type();
                if (j == path.length - 1) {
                    sources[i] = new ValueSource("{" + placeholder + "}", 0, accessors, type);
                }
            }
            if (sources[i] == null) {
                problemCount++;
            }
        }
        return problemCount == 0 ? new KeyTemplate(template, shape.toString(), sources) : null;
    }

    /** The key of one value, for a template made by {@link #ofValues}. */
    public CacheKey keyOfValue(Object value) {
        return keyFor(new Object[] {value});
    }

    /**
     * The template used when none is written: the method and every parameter, in order, as if it were
     * {@code "com.example.Prices#priceOf({currency}, {id})"}. Naming the method keeps two template-less reads of
     * one cache apart: {@code nameOf(42)} and {@code colourOf(42)} are two entries.
     *
     * @param serializable whether the values must be able to travel to the cluster (checked where the declared
     *                     type allows it; problems go to {@code problems})
     * @return the template, or {@code null} if a problem was found
     */
    public static KeyTemplate allParameters(Method method, boolean serializable, Consumer<String> problems) {
        Parameter[] parameters = method.getParameters();
        ValueSource[] sources = new ValueSource[parameters.length];
        boolean ok = true;
        for (int i = 0; i < parameters.length; i++) {
            sources[i] = new ValueSource("{" + parameters[i].getName() + "}", i, new Accessor[0],
                    parameters[i].getType());
            if (serializable && !canSerialize(parameters[i].getType())) {
                problems.accept("parameter '" + parameters[i].getName() + "' has type "
                        + parameters[i].getType().getName() + ", which is not Serializable, so it cannot be part of a"
                        + " key; write a key template that names a serializable property of it");
                ok = false;
            }
        }
        String name = methodName(method);
        String text = Arrays.stream(parameters).map(p -> "{" + p.getName() + "}")
                .collect(Collectors.joining(", ", name + "(", ")"));
        String shape = name + "(" + String.join(", ", Collections.nCopies(parameters.length, "{}")) + ")";
        return ok ? new KeyTemplate(text, shape, sources) : null;
    }

    /**
     * The key of the JSR-107 annotations: the values of the given parameters, in order, and nothing else, so that
     * the methods of one cache that take the same key parameters ({@code get(id)}, {@code put(id, value)},
     * {@code remove(id)}) name the same entry. Written as {@code "({id})"}.
     *
     * @param indexes the key parameters' positions
     * @return the template, or {@code null} if a value could not travel to the cluster (said to {@code problems})
     */
    public static KeyTemplate ofParameters(Method method, int[] indexes, Consumer<String> problems) {
        Parameter[] parameters = method.getParameters();
        ValueSource[] sources = new ValueSource[indexes.length];
        boolean ok = true;
        for (int i = 0; i < indexes.length; i++) {
            Parameter parameter = parameters[indexes[i]];
            sources[i] = new ValueSource("{" + parameter.getName() + "}", indexes[i], new Accessor[0],
                    parameter.getType());
            if (!canSerialize(parameter.getType())) {
                problems.accept("key parameter '" + parameter.getName() + "' has type " + parameter.getType().getName()
                        + ", which is not Serializable, so it cannot be part of a key; mark the serializable"
                        + " parameters that identify the entry with @CacheKey");
                ok = false;
            }
        }
        String text = Arrays.stream(indexes).mapToObj(i -> "{" + parameters[i].getName() + "}")
                .collect(Collectors.joining(", ", "(", ")"));
        String shape = "(" + String.join(", ", Collections.nCopies(indexes.length, "{}")) + ")";
        return ok ? new KeyTemplate(text, shape, sources) : null;
    }

    /** How template-less keys name their method: the declaring class's binary name, '#', the method name. */
    private static String methodName(Method method) {
        return method.getDeclaringClass().getName() + "#" + method.getName();
    }

    /**
     * The same placeholder values under another shape: how an {@code @Invalidates} without a template names the
     * entry that a template-less read stored for the same arguments.
     */
    public KeyTemplate under(KeyTemplate read) {
        return new KeyTemplate(read.text, read.shape, sources);
    }

    /**
     * The declared types of the placeholder values (primitives boxed): what a key of this template may hold, for
     * checking keys that arrive from other nodes.
     */
    public Set<Class<?>> valueTypes() {
        Set<Class<?>> types = new HashSet<>();
        for (ValueSource source : sources) {
            types.add(boxed(source.type()));
        }
        return types;
    }

    static Class<?> boxed(Class<?> type) {
        return type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type;
    }

    /**
     * The type a value of the declared type has in a key: primitives boxed, and {@code byte}, {@code short} and
     * {@code int} (boxed or not) as {@code Long}, since keys compare integral numbers as {@code long}.
     */
    public static Class<?> valueType(Class<?> declared) {
        Class<?> boxed = boxed(declared);
        return boxed == Integer.class || boxed == Short.class || boxed == Byte.class ? Long.class : boxed;
    }

    /** Whether a placeholder takes its value from the parameter at {@code index}. */
    public boolean uses(int index) {
        for (ValueSource source : sources) {
            if (source.parameter() == index) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the property {@code path} ({@code "id"}, {@code "owner.id"}) of values of {@code type}, by the rules of
     * placeholders; {@code null} after telling {@code problems} which property is missing.
     */
    public static java.util.function.Function<Object, Object> property(Class<?> type, String path,
                                                                        Consumer<String> problems) {
        String[] names = path.split("\\.", -1);
        Accessor[] accessors = new Accessor[names.length];
        Class<?> owner = type;
        for (int i = 0; i < names.length; i++) {
            accessors[i] = names[i].isEmpty() ? null : Accessor.find(owner, names[i]);
            if (accessors[i] == null) {
                problems.accept("type " + owner.getName() + " has no property '" + names[i] + "' (no get"
                        + capitalise(names[i]) + "(), is" + capitalise(names[i]) + "(), " + names[i] + "() or field "
                        + names[i] + ")");
                return null;
            }
            owner = accessors[i].type();
        }
        ValueSource source = new ValueSource("{" + path + "}", 0, accessors, owner);
        return value -> source.read(new Object[] {value});
    }


    /** How many placeholders the template has. */
    int placeholders() {
        return sources.length;
    }

    /** The declared type of the value placeholder {@code i} takes. */
    Class<?> placeholderType(int i) {
        return sources[i].type();
    }

    /** The parameter placeholder {@code i} takes its value from. */
    int placeholderParameter(int i) {
        return sources[i].parameter();
    }

    /** Whether placeholder {@code i} is its parameter whole, not a property of it. */
    boolean placeholderIsWholeParameter(int i) {
        return sources[i].path().length == 0;
    }

    /** The template as written (or, for all parameters, as if written). */
    public String text() {
        return text;
    }

    /** The literal text with each placeholder written {@code {}}: what two templates must share to match. */
    public String shape() {
        return shape;
    }

    /**
     * The key for one call.
     *
     * @throws IllegalStateException if a property getter throws
     */
    public CacheKey keyFor(Object[] arguments) {
        Object[] values = new Object[sources.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = sources[i].read(arguments);
        }
        return CacheKey.of(shape, values);
    }

    @Override
    public String toString() {
        return text;
    }

    private static int syntax(String template, StringBuilder shape, List<String> placeholders,
                              Consumer<String> problems) {
        int count = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{') {
                int close = template.indexOf('}', i + 1);
                int nested = template.indexOf('{', i + 1);
                if (close < 0) {
                    problems.accept("'{' at position " + i + " is never closed");
                    return count + 1;
                }
                if (nested >= 0 && nested < close) {
                    problems.accept("'{' at position " + i + " opens a placeholder inside another");
                    return count + 1;
                }
                String name = template.substring(i + 1, close).trim();
                if (name.isEmpty()) {
                    problems.accept("empty placeholder '{}' at position " + i + "; name a parameter");
                    count++;
                }
                placeholders.add(name);
                shape.append("{}");
                i = close;
            } else if (c == '}') {
                problems.accept("'}' at position " + i + " closes no placeholder");
                count++;
            } else {
                shape.append(c);
            }
        }
        return count;
    }

    private static ValueSource resolve(String placeholder, Method method, int each, Class<?> elementType,
                                       Consumer<String> problems) {
        if (placeholder.isEmpty()) {
            return null;
        }
        String[] path = placeholder.split("\\.", -1);
        Parameter[] parameters = method.getParameters();
        int index = -1;
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].getName().equals(path[0])) {
                index = i;
            }
        }
        if (index < 0) {
            problems.accept("unknown placeholder {" + placeholder + "}: no parameter is named '" + path[0] + "'; the"
                    + " parameters are " + describe(parameters));
            return null;
        }
        Class<?> type = index == each ? elementType : parameters[index].getType();
        Accessor[] accessors = new Accessor[path.length - 1];
        for (int i = 1; i < path.length; i++) {
            accessors[i - 1] = Accessor.find(type, path[i]);
            if (accessors[i - 1] == null) {
                problems.accept("placeholder {" + placeholder + "} of parameter '" + path[0] + "': type "
                        + type.getName() + " has no property '" + path[i] + "' (no get" + capitalise(path[i])
                        + "(), is" + capitalise(path[i]) + "(), " + path[i] + "() or field " + path[i] + ")");
                return null;
            }
            type = accessors[i - 1].type();
        }
        if (!canSerialize(type)) {
            problems.accept("placeholder {" + placeholder + "} of parameter '" + path[0] + "' has type "
                    + type.getName() + ", which is not Serializable, so it cannot be part of a key; name a"
                    + " serializable property of it, such as {" + placeholder + ".id}");
            return null;
        }
        return new ValueSource("{" + placeholder + "}", index, accessors, type);
    }

    /** Whether values of the declared type can be serialized; interfaces and open classes are given the benefit. */
    private static boolean canSerialize(Class<?> type) {
        if (type.isPrimitive() || Serializable.class.isAssignableFrom(type) || type.isInterface()
                || type == Object.class || Modifier.isAbstract(type.getModifiers())) {
            return true;
        }
        if (type.isArray()) {
            return canSerialize(type.getComponentType());
        }
        return false;
    }

    private static String describe(Parameter[] parameters) {
        if (parameters.length == 0) {
            return "none";
        }
        return Arrays.stream(parameters)
                .map(p -> p.getType().getSimpleName() + " " + p.getName())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String capitalise(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** Where one placeholder's value comes from (a parameter, then a chain of properties), and its declared type. */
    private record ValueSource(String placeholder, int parameter, Accessor[] path, Class<?> type) {

        Object read(Object[] arguments) {
            Object value = arguments[parameter];
            for (Accessor accessor : path) {
                if (value == null) {
                    return null;
                }
                value = accessor.read(value, placeholder);
            }
            return value;
        }
    }

    /** Reads one property: a getter, a record component (or any no-argument method of that name), or a field. */
    private record Accessor(AccessibleObject member, Class<?> type) {

        static Accessor find(Class<?> owner, String property) {
            String suffix = capitalise(property);
            for (String name : new String[] {"get" + suffix, "is" + suffix, property}) {
                Method method = findMethod(owner, name);
                boolean booleanGetterRule = !name.equals("is" + suffix)
                        || method != null && (method.getReturnType() == boolean.class
                                              || method.getReturnType() == Boolean.class);
                if (method != null && method.getReturnType() != void.class && booleanGetterRule) {
                    method.trySetAccessible();
                    return new Accessor(method, method.getReturnType());
                }
            }
            for (Class<?> c = owner; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.getName().equals(property) && !Modifier.isStatic(field.getModifiers())) {
                        field.trySetAccessible();
                        return new Accessor(field, field.getType());
                    }
                }
            }
            return null;
        }

        private static Method findMethod(Class<?> owner, String name) {
            try {
                Method method = owner.getMethod(name);
                return Modifier.isStatic(method.getModifiers()) ? null : method;
            } catch (NoSuchMethodException notPublic) {
                for (Class<?> c = owner; c != null && c != Object.class; c = c.getSuperclass()) {
                    for (Method method : c.getDeclaredMethods()) {
                        if (method.getName().equals(name) && method.getParameterCount() == 0
                                && !Modifier.isStatic(method.getModifiers())) {
                            return method;
                        }
                    }
                }
                return null;
            }
        }

        Object read(Object target, String placeholder) {
            try {
                return member instanceof Method method ? method.invoke(target) : ((Field) member).get(target);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("reading " + placeholder + " for a cache key failed", e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("reading " + placeholder + " for a cache key is not allowed", e);
            }
        }
    }
}
