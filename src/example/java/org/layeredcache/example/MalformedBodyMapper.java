package org.layeredcache.example;

import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A request body that is not the JSON the endpoint reads (broken syntax, a string where a number belongs): 400
 * with what the JSON reader said, instead of the server's HTML error page. Nothing was written.
 */
@Provider
public class MalformedBodyMapper implements ExceptionMapper<ProcessingException> {

    @Override
    public Response toResponse(ProcessingException exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonbException || cause instanceof JsonParsingException) {
                return ErrorMapper.json(400, "the request body is not valid JSON for this endpoint: "
                        + cause.getMessage());
            }
        }
        return ErrorMapper.json(500, "the request could not be processed");
    }
}
