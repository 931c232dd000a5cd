package org.layeredcache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that loads one shared object ({@link SharedObjects}) from the database, when the cluster does
 * not hold it: public, one parameter of the kind's key type (see {@link StoresObjects}), returning the object's
 * type (or {@code null} for none yet). Called through the bean, on the thread that needs the object.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LoadsObject {

    /** The kind's name, as its {@link StoresObjects} declares it. */
    String value();
}
