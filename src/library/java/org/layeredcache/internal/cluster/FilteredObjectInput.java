package org.layeredcache.internal.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * The one way the library deserialises what it reads from the cluster: through a filter, which sees each class
 * before any of its instances is made, and with the application's class loader, since the reading thread may be
 * one of Hazelcast's. Not thread-safe, like any stream.
 */
final class FilteredObjectInput extends ObjectInputStream {

    private final ClassLoader classLoader;

    FilteredObjectInput(InputStream in, ClassLoader classLoader, ObjectInputFilter filter) throws IOException {
        super(in);
        this.classLoader = classLoader;
        setObjectInputFilter(filter);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
        try {
            return Class.forName(description.getName(), false, classLoader);
        } catch (ClassNotFoundException notInApplication) {
            return super.resolveClass(description);
        }
    }
}
