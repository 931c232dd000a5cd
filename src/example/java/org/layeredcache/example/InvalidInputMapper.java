package org.layeredcache.example;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.stream.Collectors;

/**
 * A request body or parameter that breaks its Bean Validation constraints: 400, naming each field and what is
 * wrong with it, such as {@code {"status": 400, "error": "name: must not be blank"}}. The resource method never
 * ran, so nothing was written and no cache entry was dropped.
 */
@Provider
public class InvalidInputMapper implements ExceptionMapper<ConstraintViolationException> {

    @Override
    public Response toResponse(ConstraintViolationException exception) {
        String error = exception.getConstraintViolations().stream()
                .map(violation -> field(violation) + ": " + violation.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return ErrorMapper.json(400, error);
    }

    /** The body's field ({@code name}), or "request body" for the body itself. */
    private static String field(ConstraintViolation<?> violation) {
        String field = "request body";
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PROPERTY) {
                field = node.getName();
            }
        }
        return field;
    }
}
