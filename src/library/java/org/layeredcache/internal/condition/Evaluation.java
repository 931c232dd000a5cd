package org.layeredcache.internal.condition;

import jakarta.el.ELContext;
import jakarta.el.ELResolver;
import jakarta.el.FunctionMapper;
import jakarta.el.VariableMapper;

/** The context of one evaluation: the call's arguments and result, read by {@link Arguments}. One per call. */
final class Evaluation extends ELContext {

    final Object[] arguments;
    final Object result;
    private final ELResolver resolver;

    Evaluation(ELResolver resolver, Object[] arguments, Object result) {
        this.resolver = resolver;
        this.arguments = arguments;
        this.result = result;
    }

    /** This evaluation, however the EL implementation wraps this context; nothing is put in its map per call. */
    @Override
    public Object getContext(Class<?> key) {
        return key == Evaluation.class ? this : super.getContext(key);
    }

    @Override
    public ELResolver getELResolver() {
        return resolver;
    }

    @Override
    public FunctionMapper getFunctionMapper() {
        return null;
    }

    @Override
    public VariableMapper getVariableMapper() {
        return null;
    }
}
