package io.ember.core.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What a route answers: a status, a content type, the body's bytes and any further headers.
 *
 * @param status the HTTP status
 * @param contentType the body's media type, with its charset where it has one
 * @param body the body; not copied
 * @param headers further response headers, e.g. {@code Location}
 */
public record WebResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";

    public WebResponse {
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
        headers = Map.copyOf(headers);
    }

    public WebResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    /** 200 with {@code value} as JSON (see {@link Json}). */
    public static WebResponse json(Object value) {
        return new WebResponse(200, JSON, Json.write(value));
    }

    /** 200 with an HTML page. */
    public static WebResponse html(String page) {
        return new WebResponse(200, HTML, page.getBytes(UTF_8));
    }

    /** {@code status} with an HTML page. */
    public static WebResponse html(int status, String page) {
        return new WebResponse(status, HTML, page.getBytes(UTF_8));
    }

    /** {@code status} with a plain-text body. */
    public static WebResponse text(int status, String text) {
        return new WebResponse(status, TEXT, text.getBytes(UTF_8));
    }

    /**
     * {@code status} with {@code {"status": status, "message": message}}: what the REST API answers
     * when it cannot answer the question (an unknown application, job or stage is 404).
     */
    public static WebResponse jsonError(int status, String message) {
        return new WebResponse(status, JSON, Json.write(new ErrorBody(status, message)));
    }

    /** 302 to {@code location}. */
    public static WebResponse redirect(String location) {
        return new WebResponse(302, TEXT, ("See " + location).getBytes(UTF_8), Map.of("Location", location));
    }

    /** The body of a REST error. */
    public record ErrorBody(int status, String message) {
        public ErrorBody {
            requireNonNull(message, "message is null");
        }
    }
}
