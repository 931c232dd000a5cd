package org.layeredcache.testing;

import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Application nodes in this JVM for one test class, as a JUnit extension: each a Weld container holding the
 * library and the test's beans, all on the shared Hazelcast member, as the nodes of a cluster share its cache.
 * Started before the class's first test and closed after its last, also when a test fails.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final InProcessNodes NODES = InProcessNodes.of(2, Catalog.class);
 * ... NODES.bean(NODES.a(), Catalog.class) ...
 * }</pre>
 */
public final class InProcessNodes implements BeforeAllCallback, AfterAllCallback {

    private final int count;
    private final Class<?>[] beans;
    private final List<WeldContainer> nodes = new ArrayList<>();

    private InProcessNodes(int count, Class<?>[] beans) {
        this.count = count;
        this.beans = beans.clone();
    }

    /** {@code count} nodes, each with the given beans. */
    public static InProcessNodes of(int count, Class<?>... beans) {
        return new InProcessNodes(count, beans);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        for (int i = 0; i < count; i++) {
            nodes.add(Containers.start(beans));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RuntimeException failure = null;
        for (WeldContainer node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        nodes.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** The node at {@code index}, from 0. */
    public WeldContainer node(int index) {
        return nodes.get(index);
    }

    public WeldContainer a() {
        return node(0);
    }

    public WeldContainer b() {
        return node(1);
    }
}
