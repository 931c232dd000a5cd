package org.layeredcache;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layeredcache.testing.Containers;
import org.layeredcache.testing.Counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.layeredcache.testing.Containers.inRequest;
import static org.layeredcache.testing.Nodes.bean;

class RequestCachedTest {

    /** Not Serializable: request memos never leave the JVM, so that is fine. */
    public record Permissions(String user, int generation) {
    }

    @ApplicationScoped
    public static class Security {
        private final Counter calls = new Counter();

        public int calls() {
            return calls.count();
        }

        @RequestCached
        public Permissions permissionsOf(String user) {
            return new Permissions(user, calls.next());
        }

        @RequestCached
        public String nobody(String user) {
            calls.next();
            return null;
        }

        @RequestCached
        public String failing(String user) {
            calls.next();
            throw new IllegalArgumentException("no such user " + user);
        }
    }

    private static WeldContainer node;

    @BeforeAll
    static void start() {
        node = Containers.start(Security.class);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void memoizedForTheRestOfTheRequestByArguments() throws Exception {
        Security security = bean(node, Security.class);

        Permissions first = inRequest(node, () -> {
            Permissions ann = security.permissionsOf("ann");
            assertThat(security.permissionsOf("ann")).isSameAs(ann);
            assertThat(security.permissionsOf("bob")).isNotEqualTo(ann);
            return ann;
        });
        Permissions second = inRequest(node, () -> security.permissionsOf("ann"));

        assertThat(second).as("a new request computes again").isNotEqualTo(first);
    }

    @Test
    void nullIsMemoizedExceptionsAreNot() throws Exception {
        Security security = bean(node, Security.class);
        int before = security.calls();

        inRequest(node, () -> {
            assertThat(security.nobody("x")).isNull();
            assertThat(security.nobody("x")).isNull();
            assertThat(catchThrowable(() -> security.failing("y"))).hasMessage("no such user y");
            assertThat(catchThrowable(() -> security.failing("y"))).hasMessage("no such user y");
            return null;
        });

        assertThat(security.calls() - before).isEqualTo(3);
    }

    @Test
    void outsideARequestTheMethodSimplyRuns() {
        Security security = bean(node, Security.class);

        assertThat(security.permissionsOf("ann")).isNotEqualTo(security.permissionsOf("ann"));
    }
}
