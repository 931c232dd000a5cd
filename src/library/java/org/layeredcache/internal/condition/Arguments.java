package org.layeredcache.internal.condition;

import jakarta.el.ArrayELResolver;
import jakarta.el.BeanELResolver;
import jakarta.el.CompositeELResolver;
import jakarta.el.ELContext;
import jakarta.el.ELResolver;
import jakarta.el.ListELResolver;
import jakarta.el.MapELResolver;
import jakarta.el.PropertyNotWritableException;
import jakarta.el.StaticFieldELResolver;

import java.util.Map;

/**
 * Resolves an expression's top-level names to the call's arguments (by the parameter's index, fixed at
 * deployment) and its result. Read-only. Thread-safe.
 */
final class Arguments extends ELResolver {

    /** The index that stands for the method's result. */
    static final int RESULT_INDEX = -1;

    private final Map<String, Integer> indexes;

    private Arguments(Map<String, Integer> indexes) {
        this.indexes = Map.copyOf(indexes);
    }

    /**
     * The resolver of an expression over these names: the arguments first, then records' components, maps, lists,
     * arrays, static fields and bean properties, all read-only.
     */
    static ELResolver resolver(Map<String, Integer> indexes) {
        CompositeELResolver composite = new CompositeELResolver();
        composite.add(new Arguments(indexes));
        composite.add(new RecordComponents());
        composite.add(new MapELResolver(true));
        composite.add(new ListELResolver(true));
        composite.add(new ArrayELResolver(true));
        composite.add(new StaticFieldELResolver());
        composite.add(new BeanELResolver(true));
        return composite;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        Integer index = base == null ? indexes.get(property) : null;
        if (index == null) {
            return null;
        }
        Evaluation call = (Evaluation) context.getContext(Evaluation.class);
        if (call == null) {
            return null;
        }
        context.setPropertyResolved(true);
        return index == RESULT_INDEX ? call.result : call.arguments[index];
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        if (base == null && indexes.containsKey(property)) {
            context.setPropertyResolved(true);
        }
        return null;                                          // read-only
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        if (base == null && indexes.containsKey(property)) {
            throw new PropertyNotWritableException("'" + property + "' is the method's; a condition cannot change it");
        }
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        if (base == null && indexes.containsKey(property)) {
            context.setPropertyResolved(true);
            return true;
        }
        return false;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return base == null ? String.class : null;
    }
}
