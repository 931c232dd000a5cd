package org.layeredcache.example;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the example's request bodies (records of this package) strictly: a JSON object whose fields are the
 * record's components, each of its own JSON type. An unknown field, a field of the wrong type ({@code "name": 123}
 * is not a name) or broken JSON is a 400 naming the field, before the resource method runs, so nothing changes.
 * A field left out is {@code null}; the record's Bean Validation constraints and the resource say when that is
 * wrong.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class JsonRecordReader implements MessageBodyReader<Record> {

    private static final String PREFIX = "the request body is not valid JSON for this endpoint: ";

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isRecord() && type.getPackageName().startsWith(JsonRecordReader.class.getPackageName());
    }

    @Override
    public Record readFrom(Class<Record> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream body) {
        JsonValue value;
        try (JsonParser parser = Json.createParser(body)) {
            parser.next();
            value = parser.getValue();
            if (parser.hasNext()) {
                throw new BadRequestException(PREFIX + "more follows the JSON value (" + parser.next() + ")");
            }
        } catch (JsonException | java.util.NoSuchElementException e) {
            throw new BadRequestException(PREFIX + e.getMessage());
        }
        if (value == JsonValue.NULL) {
            return null;                                           // the parameter's @NotNull names it
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new BadRequestException(PREFIX + "expected an object with " + fields(type) + ", got "
                    + kind(value));
        }
        JsonObject object = value.asJsonObject();
        RecordComponent[] components = type.getRecordComponents();
        for (String field : object.keySet()) {
            if (Arrays.stream(components).noneMatch(component -> component.getName().equals(field))) {
                throw new BadRequestException(PREFIX + field + ": unknown field; this endpoint reads " + fields(type));
            }
        }
        Object[] arguments = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            arguments[i] = field(components[i], object.get(components[i].getName()));
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw new BadRequestException(PREFIX + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e);
        }
    }

    /** One field's value as the component's type; a JSON type that does not fit is refused, never converted. */
    private static Object field(RecordComponent component, JsonValue value) {
        String name = component.getName();
        Class<?> type = component.getType();
        if (value == null || value == JsonValue.NULL) {
            if (type.isPrimitive()) {
                throw new BadRequestException(PREFIX + name + ": missing");
            }
            return null;
        }
        if (type == String.class && value instanceof JsonString text) {
            return text.getString();
        }
        if ((type == long.class || type == Long.class) && value instanceof JsonNumber number && number.isIntegral()) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException e) {
                throw new BadRequestException(PREFIX + name + ": " + number + " is out of range");
            }
        }
        if ((type == boolean.class || type == Boolean.class)
                && (value == JsonValue.TRUE || value == JsonValue.FALSE)) {
            return value == JsonValue.TRUE;
        }
        throw new BadRequestException(PREFIX + name + ": must be " + expected(type) + ", not " + kind(value));
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == long.class || type == Long.class) {
            return "a whole number";
        }
        return type == boolean.class || type == Boolean.class ? "true or false" : "a " + type.getSimpleName();
    }

    private static String kind(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
        };
    }

    private static String fields(Class<?> type) {
        List<String> names = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        return String.join(", ", names);
    }
}
