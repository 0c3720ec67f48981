package io.ember.core.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;

/**
 * JSON for the REST API and the event log, through one configured Jackson mapper: records are
 * written with their component names as field names (the documented, stable names), indented,
 * and read back ignoring fields a newer writer added.
 *
 * <p>Thread-safe: the mapper is configured once, here, and only used afterwards.
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final ObjectMapper INDENTED = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** {@code value} as indented UTF-8 JSON. */
    public static byte[] write(Object value) {
        try {
            return INDENTED.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code value} as JSON on one line (the event log's format). */
    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The shared mapper, for reading. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
