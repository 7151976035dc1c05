package io.warden.common.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.util.stream.Collectors;

/**
 * The one JSON mapping of the wire records. Strict where it protects: a field of the wrong type is refused
 * (no "12" for a number, no 12 for a string) with a message naming the field. Tolerant where versions
 * meet: unknown fields are ignored and a number or boolean a sender does not know yet reads as 0 or false,
 * so agents and coordinators of neighbouring releases still talk during a rolling upgrade.
 */
public final class WireJson {

    private static final ObjectMapper MAPPER = mapper();

    private WireJson() {
    }

    private static ObjectMapper mapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(numeric).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    public static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** Decodes {@code json} into {@code type}, or throws {@link BadInput} saying which field is wrong. */
    public static <T> T decode(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new BadInput("the request body is empty; expected a JSON object");
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new BadInput("expected a JSON object, got null");
            }
            return value;
        } catch (MismatchedInputException e) {
            String field = path(e);
            String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
            throw new BadInput(field.isEmpty() ? "expected a JSON object" : "field '" + field + "': expected " + expected);
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new BadInput((field.isEmpty() ? "" : "field '" + field + "': ") + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new BadInput("malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == long.class || type == int.class || type == Long.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
