package org.layeredcache.example;

import jakarta.json.Json;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers API errors (400, 403, 404, ...) in JSON: {@code {"status": 404, "error": "no service 99"}}. The other
 * mappers of this package use {@link #json} for their answers too, so every client error has the same shape.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException exception) {
        return json(exception.getResponse().getStatus(), String.valueOf(exception.getMessage()));
    }

    static Response json(int status, String error) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("status", status).add("error", error).build().toString())
                .build();
    }
}
