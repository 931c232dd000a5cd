package org.layeredcache.internal.key;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys written as they render, read back through their templates, as operators name them. */
class RenderedKeyTest {

    enum Size { SMALL, LARGE }

    @SuppressWarnings("unused")
    static class Methods {
        String version(int templateId, short version) {
            return "";
        }

        String label(String name, Size size, boolean active) {
            return "";
        }

        String byUser(KeyTemplateTest.Customer customer) {
            return "";
        }
    }

    private static KeyTemplate template(String text, String method, Class<?>... parameters) throws Exception {
        Method target = Methods.class.getDeclaredMethod(method, parameters);
        List<String> problems = new ArrayList<>();
        KeyTemplate template = KeyTemplate.parse(text, target, problems::add);
        assertThat(problems).isEmpty();
        return template;
    }

    @Test
    void aRenderedKeyIsReadBackToTheSameKeyAndItsArguments() throws Exception {
        KeyTemplate template = template("template-{templateId}-version-{version}", "version", int.class, short.class);
        CacheKey key = template.keyFor(new Object[] {13, (short) 2});

        assertThat(RenderedKey.parse(template, key.toString())).contains(key);
        assertThat(RenderedKey.arguments(template, "template-13-version-2", new Class<?>[] {int.class, short.class}))
                .hasValueSatisfying(arguments -> assertThat(arguments).containsExactly(13, (short) 2));
    }

    @Test
    void textOfAnotherFormOrValuesThatDoNotFitAreRefused() throws Exception {
        KeyTemplate template = template("template-{templateId}-version-{version}", "version", int.class, short.class);

        assertThat(RenderedKey.parse(template, "template-13")).isEmpty();
        assertThat(RenderedKey.parse(template, "template-x-version-2")).isEmpty();
        assertThat(RenderedKey.arguments(template, "template-13-version-70000",
                new Class<?>[] {int.class, short.class})).as("70000 is no short").isEmpty();
    }

    @Test
    void stringsEnumsAndBooleansAreReadBack() throws Exception {
        KeyTemplate template = template("{name}/{size}/{active}", "label", String.class, Size.class, boolean.class);

        assertThat(RenderedKey.arguments(template, "ann/LARGE/true",
                new Class<?>[] {String.class, Size.class, boolean.class}))
                .hasValueSatisfying(arguments -> assertThat(arguments).containsExactly("ann", Size.LARGE, true));
        assertThat(RenderedKey.parse(template, "ann/HUGE/true")).as("no such size").isEmpty();
    }

    @Test
    void aKeyOfAPropertyGivesNoArguments() throws Exception {
        KeyTemplate template = template("customer-{customer.id}", "byUser", KeyTemplateTest.Customer.class);

        assertThat(RenderedKey.parse(template, "customer-7")).isPresent();
        assertThat(RenderedKey.arguments(template, "customer-7",
                new Class<?>[] {KeyTemplateTest.Customer.class})).as("the call cannot be made from 7").isEmpty();
    }
}
