package org.layeredcache;

import jakarta.enterprise.inject.spi.DefinitionException;

import java.io.Serial;
import java.util.List;

/**
 * Fails a deployment whose caching annotations are misused. The message lists every problem found, one per line,
 * each naming the class, the method, the annotation and, where one is involved, the parameter.
 */
public final class CacheDefinitionException extends DefinitionException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /** Creates the exception from the problems found, in the order they were found. */
    public CacheDefinitionException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one sentence each. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        StringBuilder text = new StringBuilder()
                .append(problems.size()).append(problems.size() == 1 ? " caching problem" : " caching problems")
                .append(" in this deployment:");
        for (String problem : problems) {
            text.append(System.lineSeparator()).append(" - ").append(problem);
        }
        return text.toString();
    }
}
