package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JavaType;
import io.ember.api.config.Durations;
import io.ember.core.web.Json;
import io.ember.core.web.WebCredentials;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads resources of the leader master's REST API ({@code /api/v1/...}) into the API's records, with
 * the credentials derived from {@code ember.auth.secret} when the cluster has one. Every failure is
 * a {@link StatusException} whose message is one line naming the URL.
 *
 * <p>Thread-safe.
 */
final class LeaderRestClient {

    private final String baseUrl;
    private final Optional<WebCredentials> credentials;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param baseUrl the leader's web UI, {@code http://host:port}
     * @param timeout for connecting and for each answer
     */
    LeaderRestClient(String baseUrl, Optional<WebCredentials> credentials, Duration timeout) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A list resource, such as {@code /api/v1/workers}. */
    <T> List<T> list(String path, Class<T> type) {
        JavaType listType = Json.mapper().getTypeFactory().constructCollectionType(List.class, type);
        return read(path, listType);
    }

    private <T> T read(String path, JavaType type) {
        String url = baseUrl + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
                .header("Accept", "application/json");
        credentials.ifPresent(c -> request.header("Authorization", c.authorizationHeader()));
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new StatusException("the leader master's REST API at " + url + " did not answer within "
                    + Durations.format(timeout));
        } catch (ConnectException e) {
            throw new StatusException("cannot reach the leader master's REST API at " + url + " (connection refused)");
        } catch (IOException e) {
            throw new StatusException("cannot reach the leader master's REST API at " + url + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatusException("interrupted while asking the leader master's REST API at " + url);
        }
        if (response.statusCode() == 401) {
            throw new StatusException("the leader master's REST API at " + url + " refused the request (401): "
                    + (credentials.isPresent() ? "ember.auth.secret is not the cluster's"
                    : "the cluster has a secret; set ember.auth.secret"));
        }
        if (response.statusCode() != 200) {
            throw new StatusException("the leader master's REST API at " + url + " answered " + response.statusCode());
        }
        try {
            return Json.mapper().readValue(response.body(), type);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("");
            throw new StatusException("the leader master's REST API at " + url + " answered something that is not "
                    + "what it documents: " + why);
        }
    }
}
