package org.layeredcache.internal.condition;

import jakarta.el.ELContext;
import jakarta.el.ELResolver;
import jakarta.el.FunctionMapper;
import jakarta.el.ValueExpression;
import jakarta.el.VariableMapper;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The context an expression is parsed in: it records every name the expression uses (the EL implementation asks
 * the variable mapper for each one while parsing) and binds none, so that every name is resolved per call.
 * Functions ({@code fn:...}) are not offered. One per parse.
 */
final class ParsingContext extends ELContext {

    private final Set<String> names = new LinkedHashSet<>();

    private final VariableMapper recorder = new VariableMapper() {
        @Override
        public ValueExpression resolveVariable(String variable) {
            names.add(variable);
            return null;
        }

        @Override
        public ValueExpression setVariable(String variable, ValueExpression expression) {
            return null;
        }
    };

    /** The names the parsed expression uses, in order. */
    Set<String> names() {
        return names;
    }

    /** Whether {@code name} is a class the expression may name, such as {@code Integer} (java.lang is imported). */
    boolean isClass(String name) {
        return getImportHandler().resolveClass(name) != null;
    }

    @Override
    public ELResolver getELResolver() {
        return Arguments.resolver(java.util.Map.of());
    }

    @Override
    public FunctionMapper getFunctionMapper() {
        return null;
    }

    @Override
    public VariableMapper getVariableMapper() {
        return recorder;
    }
}
