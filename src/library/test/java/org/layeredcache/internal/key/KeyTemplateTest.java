package org.layeredcache.internal.key;

import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyTemplateTest {

    record Customer(long id) implements Serializable { }

    record Order(Customer customer, String number) implements Serializable { }

    public static class User {
        public String login = "ann";
        private final long id;
        private final boolean active;

        User(long id, boolean active) {
            this.id = id;
            this.active = active;
        }

        public long getId() {
            return id;
        }

        public boolean isActive() {
            return active;
        }

        public String getBroken() {
            throw new IllegalStateException("broken getter");
        }
    }

    /** Not Serializable, so it cannot be a key value itself. */
    public static class Session {
        public String getToken() {
            return "t";
        }
    }

    @SuppressWarnings("unused")
    static class Methods {
        void byUser(User user) { }
        void byOrder(Order order) { }
        void bySession(Session session) { }
        void byTwo(long serviceId, String name) { }
        void byOtherTwo(long serviceId, String name) { }
    }

    private static Method method(String name) {
        for (Method method : Methods.class.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return method;
            }
        }
        throw new AssertionError(name);
    }

    private static List<String> problemsOf(String template, String method) {
        List<String> problems = new ArrayList<>();
        assertThat(KeyTemplate.parse(template, method(method), problems::add)).isNull();
        return problems;
    }

    private static CacheKey key(String template, String method, Object... arguments) {
        return KeyTemplate.parse(template, method(method), problem -> {
            throw new AssertionError(problem);
        }).keyFor(arguments);
    }

    @Test
    void placeholdersReachGettersBooleanGettersFieldsAndRecordComponents() {
        User user = new User(7, true);

        assertThat(key("user-{user.id}-{user.active}-{user.login}", "byUser", user))
                .hasToString("user-7-true-ann");
        assertThat(key("order-{order.customer.id}-{order.number}", "byOrder",
                new Order(new Customer(3), "A-1"))).hasToString("order-3-A-1");
    }

    @Test
    void aNullOnTheWayToAPropertyGivesANullValue() {
        assertThat(key("order-{order.customer.id}", "byOrder", new Order(null, "x"))).hasToString("order-null");
    }

    @Test
    void aGetterThatThrowsIsReportedWithThePlaceholder() {
        KeyTemplate template = KeyTemplate.parse("{user.broken}", method("byUser"), problem -> { });

        assertThatThrownBy(() -> template.keyFor(new Object[] {new User(1, true)}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("{user.broken}")
                .hasRootCauseMessage("broken getter");
    }

    @Test
    void anUnknownPlaceholderNamesTheParametersThereAre() {
        assertThat(problemsOf("service-{id}", "byTwo")).containsExactly(
                "unknown placeholder {id}: no parameter is named 'id'; the parameters are (long serviceId, String name)");
    }

    @Test
    void anUnknownPropertyNamesTheTypeAndWhatWasLookedFor() {
        assertThat(problemsOf("{user.idd}", "byUser")).singleElement().asString()
                .contains("{user.idd}", "parameter 'user'", User.class.getName(), "getIdd()", "isIdd()", "idd()");
    }

    @Test
    void aValueThatCannotTravelToTheClusterIsRefused() {
        assertThat(problemsOf("{session}", "bySession")).singleElement().asString()
                .contains("parameter 'session'", "not Serializable", "{session.id}");
        assertThat(key("{session.token}", "bySession", new Session())).hasToString("t");
    }

    @Test
    void bracesMustPair() {
        assertThat(problemsOf("a-{serviceId", "byTwo")).containsExactly("'{' at position 2 is never closed");
        assertThat(problemsOf("a-serviceId}", "byTwo")).containsExactly("'}' at position 11 closes no placeholder");
        assertThat(problemsOf("a-{}", "byTwo")).containsExactly("empty placeholder '{}' at position 2; name a parameter");
        assertThat(problemsOf("a-{x{y}}", "byTwo")).containsExactly("'{' at position 2 opens a placeholder inside another");
    }

    @Test
    void withoutATemplateTheMethodAndEveryParameterFormTheKey() {
        KeyTemplate all = KeyTemplate.allParameters(method("byTwo"), true, problem -> {
            throw new AssertionError(problem);
        });

        String byTwo = Methods.class.getName() + "#byTwo";
        assertThat(all.text()).isEqualTo(byTwo + "({serviceId}, {name})");
        assertThat(all.keyFor(new Object[] {1L, "x"})).isEqualTo(key(byTwo + "({serviceId}, {name})", "byTwo", 1L, "x"))
                .hasToString(byTwo + "(1, x)");
        KeyTemplate other = KeyTemplate.allParameters(method("byOtherTwo"), true, problem -> {
            throw new AssertionError(problem);
        });
        assertThat(other.keyFor(new Object[] {1L, "x"})).as("another method, the same arguments")
                .isNotEqualTo(all.keyFor(new Object[] {1L, "x"}));
    }

    @Test
    void withoutATemplateAParameterThatCannotTravelIsRefusedUnlessTheKeyStaysLocal() {
        List<String> problems = new ArrayList<>();

        assertThat(KeyTemplate.allParameters(method("bySession"), true, problems::add)).isNull();
        assertThat(problems).singleElement().asString().contains("parameter 'session'", "not Serializable");
        assertThat(KeyTemplate.allParameters(method("bySession"), false, problems::add)).isNotNull();
    }
}
