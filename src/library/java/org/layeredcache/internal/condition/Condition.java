package org.layeredcache.internal.condition;

import jakarta.el.ELException;
import jakarta.el.ELResolver;
import jakarta.el.ExpressionFactory;
import jakarta.el.ValueExpression;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A condition of a caching annotation ({@code condition}, {@code unless}): a Jakarta Expression Language expression
 * over the method's parameters, by name, and, where the annotation allows it, the method's {@code result}. Parsed
 * and checked once at deployment (syntax, and every name it uses); evaluated per call with a resolver that reads
 * the names from the call's arguments by index and the components of records through method handles, so that
 * a condition over parameters and record properties uses no reflection per call. Thread-safe.
 */
public final class Condition {

    /** The name of the method's result in the expressions that may use it. */
    public static final String RESULT = "result";

    private final String text;
    private final String where;
    private final ValueExpression expression;
    private final ELResolver resolver;

    private Condition(String text, String where, ValueExpression expression, ELResolver resolver) {
        this.text = text;
        this.where = where;
        this.expression = expression;
        this.resolver = resolver;
    }

    /**
     * The condition written as {@code text}, or {@code null} after reporting why it cannot be used. The text is an
     * EL expression with or without its {@code ${ }} ({@code "id > 0"}, {@code "${not empty name}"}).
     *
     * @param attribute  the annotation attribute, for messages ({@code "condition"})
     * @param method     the annotated method: its parameter names are the expression's names
     * @param withResult whether the expression may name {@link #RESULT}
     * @param where      the method and annotation, for the messages of failed evaluations
     * @param report     receives each problem as one sentence
     */
    public static Condition parse(String attribute, String text, Method method, boolean withResult, String where,
                                  Consumer<String> report) {
        Consumer<String> problem = sentence -> report.accept(attribute + " = \"" + text + "\": " + sentence);
        if (text.isBlank()) {
            problem.accept("the expression is blank; write one, such as " + attribute + " = \""
                    + (withResult ? "result == null" : "id > 0") + "\", or leave the attribute out");
            return null;
        }
        Parameter[] parameters = method.getParameters();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < parameters.length; i++) {
            names.put(parameters[i].getName(), i);
        }
        if (withResult && method.getReturnType() != void.class) {
            names.put(RESULT, Arguments.RESULT_INDEX);
        }
        ParsingContext parsing = new ParsingContext();
        ValueExpression expression;
        try {
            expression = factory().createValueExpression(parsing, expressionText(text), Boolean.class);
        } catch (ELException | IllegalArgumentException | NullPointerException e) {
            problem.accept("not a valid Jakarta EL expression: " + firstLine(e));
            return null;
        }
        if (expression.isLiteralText()) {
            problem.accept("the text holds no expression; write one, such as " + attribute + " = \"id > 0\"");
            return null;
        }
        Set<String> lambdaParameters = lambdaParameters(text);
        int before = 0;
        for (String name : parsing.names()) {
            if (names.containsKey(name) || lambdaParameters.contains(name) || parsing.isClass(name)) {
                continue;
            }
            before++;
            if (name.equals(RESULT)) {
                problem.accept(method.getReturnType() == void.class
                        ? "the method returns void, so there is no result to name"
                        : "the result is known only after the call; name it in unless, not here");
                continue;
            }
            problem.accept("unknown name '" + name + "'; the names are the method's parameters "
                    + Arrays.stream(parameters).map(p -> p.getType().getSimpleName() + " " + p.getName())
                            .collect(Collectors.joining(", ", "(", ")"))
                    + (withResult && method.getReturnType() != void.class ? " and result" : "")
                    + (parameters.length > 0 && !parameters[0].isNamePresent() ? " (compile with -parameters)" : ""));
        }
        return before == 0 ? new Condition(text, where, expression, Arguments.resolver(names)) : null;
    }

    /**
     * Whether the condition holds for a call with these arguments (and, where the expression may name it, this
     * result). An expression whose value is {@code null} does not hold.
     *
     * @throws IllegalStateException naming the method, the attribute's text and the cause, when it cannot be
     *                               evaluated (a property that does not exist, a value of the wrong type)
     */
    public boolean test(Object[] arguments, Object result) {
        try {
            return Boolean.TRUE.equals(expression.getValue(new Evaluation(resolver, arguments, result)));
        } catch (RuntimeException e) {
            throw new IllegalStateException(where + ": \"" + text + "\" could not be evaluated: " + firstLine(e), e);
        }
    }

    /** The expression as written. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    private static String expressionText(String text) {
        String trimmed = text.trim();
        return trimmed.contains("${") || trimmed.contains("#{") ? trimmed : "${" + trimmed + "}";
    }

    private static final Pattern LAMBDA = Pattern.compile("(?:\\(([\\w\\s,]*)\\)|(\\w+))\\s*->");

    /** The names a lambda in the text declares ({@code x -> ...}, {@code (a, b) -> ...}): not the method's. */
    private static Set<String> lambdaParameters(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher lambda = LAMBDA.matcher(text);
        while (lambda.find()) {
            String declared = lambda.group(1) != null ? lambda.group(1) : lambda.group(2);
            for (String name : declared.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static ExpressionFactory factory() {
        return Factory.INSTANCE;
    }

    /** The server's expression factory, found once. */
    private static final class Factory {
        static final ExpressionFactory INSTANCE = ExpressionFactory.newInstance();
    }
}
