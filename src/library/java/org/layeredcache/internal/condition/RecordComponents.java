package org.layeredcache.internal.condition;

import jakarta.el.ELContext;
import jakarta.el.ELException;
import jakarta.el.ELResolver;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a record's component by name ({@code view.id} calls {@code id()}), which the bean resolver of Jakarta EL 5
 * does not know: the accessors are found once per record class and called through method handles. Read-only.
 * Thread-safe.
 */
final class RecordComponents extends ELResolver {

    private static final MethodType GENERIC = MethodType.methodType(Object.class, Object.class);

    private static final ClassValue<Map<String, MethodHandle>> ACCESSORS = new ClassValue<>() {
        @Override
        protected Map<String, MethodHandle> computeValue(Class<?> type) {
            Map<String, MethodHandle> accessors = new HashMap<>();
            for (RecordComponent component : type.getRecordComponents()) {
                Method accessor = component.getAccessor();
                try {
                    accessor.trySetAccessible();
                    accessors.put(component.getName(), MethodHandles.lookup().unreflect(accessor).asType(GENERIC));
                } catch (IllegalAccessException e) {
                    // not readable from here: left to the bean resolver, which names the problem
                }
            }
            return Map.copyOf(accessors);
        }
    };

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        MethodHandle accessor = accessor(base, property);
        if (accessor == null) {
            return null;
        }
        context.setPropertyResolved(base, property);
        try {
            return (Object) accessor.invokeExact(base);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new ELException(base.getClass().getName() + "." + property + "(): " + e, e);
        }
    }

    private static MethodHandle accessor(Object base, Object property) {
        if (!(base instanceof Record) || !(property instanceof String name)) {
            return null;
        }
        return ACCESSORS.get(base.getClass()).get(name);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        if (accessor(base, property) != null) {
            context.setPropertyResolved(base, property);
        }
        return null;                                          // read-only
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        if (accessor(base, property) != null) {
            throw new jakarta.el.PropertyNotWritableException("a record's component cannot be changed: " + property);
        }
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        if (accessor(base, property) != null) {
            context.setPropertyResolved(base, property);
            return true;
        }
        return false;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return base instanceof Record ? String.class : null;
    }
}
