package io.ember.core.web;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A GET request as a route sees it.
 *
 * @param path the path, decoded, e.g. {@code /api/v1/applications/app-1/jobs}
 * @param pathParameters the values of the route's {@code {name}} segments
 * @param query the query parameters, each with its values in order
 * @param headers the request's headers by lower-case name, the first value of each
 */
public record WebRequest(String path, Map<String, String> pathParameters, Map<String, List<String>> query,
                         Map<String, String> headers) {

    public WebRequest {
        requireNonNull(path, "path is null");
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** A request for {@code path} with no parameters, query or headers (for tests and internal calls). */
    public static WebRequest of(String path) {
        return new WebRequest(path, Map.of(), Map.of(), Map.of());
    }

    /** The first value of header {@code name} (any case), if sent. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The value of the route's {@code {name}} segment. */
    public String parameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no {" + name + "} segment");
        }
        return value;
    }

    /** The first value of query parameter {@code name}, if given. */
    public Optional<String> queryValue(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
