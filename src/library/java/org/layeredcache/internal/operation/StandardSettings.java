package org.layeredcache.internal.operation;

import org.eclipse.microprofile.config.Config;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the JSR-107 annotations are handled, from MicroProfile Config: {@code layered-cache.jsr107.timing}
 * ({@code after-commit}, the default, or {@code specification}: puts and removals at once, as the specification
 * times them) and {@code layered-cache.jsr107.leave-to-server} (classes, by name, whose JSR-107 annotations are left
 * to the server's own interceptors).
 */
record StandardSettings(boolean immediate, Set<String> leftToServer) {

    static final String TIMING = "layered-cache.jsr107.timing";
    static final String LEAVE_TO_SERVER = "layered-cache.jsr107.leave-to-server";

    static StandardSettings read(Config config, List<String> problems) {
        String timing = config.getOptionalValue(TIMING, String.class).orElse("after-commit").trim();
        if (!timing.equals("after-commit") && !timing.equals("specification")) {
            problems.add(TIMING + " = '" + timing + "': write after-commit (the default: puts and removals once the"
                    + " transaction commits) or specification (at once, as JSR-107 times them)");
        }
        Set<String> left = config.getOptionalValue(LEAVE_TO_SERVER, String.class)
                .map(names -> Arrays.stream(names.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()))
                .orElse(Set.of());
        return new StandardSettings(timing.equals("specification"), left);
    }

    boolean leftToServer(Class<?> type) {
        return leftToServer.contains(type.getName());
    }

    StandardParser parser(OperationParser parser) {
        return new StandardParser(parser, immediate);
    }
}
