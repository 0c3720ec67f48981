package io.ember.core.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.core.config.ServerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The web server on a real socket: routing, errors, authentication, port retries. */
final class WebServerTest {

    private static final ServerAddress LOOPBACK = ServerAddress.of("127.0.0.1");
    private final HttpClient client = HttpClient.newHttpClient();
    private WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static WebRoutes routes() {
        return WebRoutes.builder()
                .get("/api/v1/applications/{appId}", r -> WebResponse.json(Map.of("id", r.parameter("appId"),
                        "q", r.queryValue("status").orElse(""))))
                .get("/", r -> WebResponse.html(Html.page("Start", "", "<p id=\"hello\">hello</p>")))
                .get("/boom", r -> {
                    throw new IllegalStateException("secret detail");
                })
                .build();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersARouteWithItsParametersAsJson() throws Exception {
        server = WebServer.start("test", LOOPBACK, 4040, 100, Optional.empty(), routes());

        HttpResponse<String> response = get("/api/v1/applications/app-7/?status=running");

        assertEquals(200, response.statusCode());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = Json.mapper().readTree(response.body());
        assertEquals("app-7", body.get("id").asText());
        assertEquals("running", body.get("q").asText());
        assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
    }

    @Test
    void anUnknownApiPathIsA404WithAJsonBodyAndAnUnknownPageA404Page() throws Exception {
        server = WebServer.start("test", LOOPBACK, 4040, 100, Optional.empty(), routes());

        HttpResponse<String> api = get("/api/v1/nothing");
        HttpResponse<String> page = get("/nothing%3Cscript%3E");

        assertEquals(404, api.statusCode());
        JsonNode error = Json.mapper().readTree(api.body());
        assertEquals(404, error.get("status").asInt());
        assertEquals("no such resource: /api/v1/nothing", error.get("message").asText());
        assertEquals(404, page.statusCode());
        assertTrue(page.body().contains("/nothing&lt;script&gt;"), page.body());
        assertFalse(page.body().contains("<script>"), page.body());
    }

    @Test
    void aRouteThatThrowsIsA500ThatDoesNotShowTheException() throws Exception {
        server = WebServer.start("test", LOOPBACK, 4040, 100, Optional.empty(), routes());

        HttpResponse<String> response = get("/boom");

        assertEquals(500, response.statusCode());
        assertFalse(response.body().contains("secret detail"), response.body());
        assertEquals(200, get("/").statusCode(), "the server still answers");
    }

    @Test
    void onlyGetAndHeadAreServed() throws Exception {
        server = WebServer.start("test", LOOPBACK, 4040, 100, Optional.empty(), routes());

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(405, post.statusCode());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void withCredentialsEveryRequestWithoutThemIsRefusedWith401() throws Exception {
        WebCredentials credentials = WebCredentials.derivedFrom("s3cret");
        server = WebServer.start("test", LOOPBACK, 4040, 100, Optional.of(credentials), routes());

        HttpResponse<String> anonymous = get("/");
        HttpResponse<String> missing = get("/api/v1/nothing");
        HttpResponse<String> wrong = get("/", "Authorization",
                WebCredentials.derivedFrom("other").authorizationHeader());
        HttpResponse<String> basic = get("/", "Authorization", credentials.authorizationHeader());
        HttpResponse<String> bearer = get("/api/v1/applications/a", "Authorization",
                "Bearer " + credentials.password());

        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"Ember\", charset=\"UTF-8\"",
                anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, missing.statusCode(), "an unauthenticated caller does not learn what exists");
        assertEquals(401, wrong.statusCode());
        assertEquals(200, basic.statusCode());
        assertEquals(200, bearer.statusCode());
    }

    @Test
    void theCredentialsAreDerivedFromTheSecretAsDocumented() {
        // HMAC-SHA256(key "s3cret", "ember-web-v1"), base64url without padding: computed independently
        // with `printf ember-web-v1 | openssl dgst -sha256 -hmac s3cret -binary | basenc --base64url`.
        WebCredentials credentials = WebCredentials.derivedFrom("s3cret");

        assertEquals("bVlANlnfQOzB73Z1nOrHOOLaJKw9-7gDC1KNhqdlNe4", credentials.password());
        assertNotEquals(credentials.password(), WebCredentials.derivedFrom("s3cret ").password());
        assertFalse(credentials.toString().contains(credentials.password()));
    }

    @Test
    void takesTheNextPortWhenTheFirstIsInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            server = WebServer.start("test", LOOPBACK, taken.getLocalPort(), 20, Optional.empty(), routes());

            assertNotEquals(taken.getLocalPort(), server.port());
            assertTrue(server.port() > taken.getLocalPort() && server.port() <= taken.getLocalPort() + 20,
                    "port " + server.port() + " after " + taken.getLocalPort());
            assertEquals(200, get("/").statusCode());
        }
    }

    @Test
    void failsWithOneLineWhenNoPortOfTheRangeIsFree() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(IOException.class,
                    () -> WebServer.start("driver", LOOPBACK, taken.getLocalPort(), 0, Optional.empty(), routes()));

            assertEquals("no free port for the driver web UI on 127.0.0.1 in " + taken.getLocalPort() + ".."
                    + taken.getLocalPort(), e.getMessage());
        }
    }
}
