package io.ember.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.core.web.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** GET requests to Ember's web servers for tests: the raw answer, or a 200's body as JSON. */
public final class WebGets {

    private final HttpClient http = HttpClient.newHttpClient();

    /** GET {@code url} with these header name/value pairs. */
    public HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET {@code url}, which must answer 200, as JSON. */
    public JsonNode json(String url, String... headers) throws IOException, InterruptedException {
        HttpResponse<String> response = get(url, headers);
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return Json.mapper().readTree(response.body());
    }

    /** GET {@code url} with the bytes of the answer (e.g. a protobuf scrape). */
    public HttpResponse<byte[]> bytes(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
