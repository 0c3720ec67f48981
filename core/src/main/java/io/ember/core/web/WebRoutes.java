package io.ember.core.web;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The GET routes of one web server: path patterns whose {@code {name}} segments match any one
 * segment, e.g. {@code /api/v1/applications/{appId}/jobs/{jobId}}. The first route added that
 * matches wins; a trailing slash is ignored.
 *
 * <p>Immutable once built; thread-safe.
 */
public final class WebRoutes {

    private final List<Route> routes;
    /** Null for a table of its own; otherwise the table to use, once there is one. */
    private final Supplier<WebRoutes> later;

    private WebRoutes(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.later = null;
    }

    private WebRoutes(Supplier<WebRoutes> later) {
        this.routes = List.of();
        this.later = later;
    }

    /**
     * Routes known only later: {@code later} gives the table to use, or {@code null} while there is
     * none yet, and every request is then answered 503 (for a server that must listen, and so know
     * its address, before what it serves exists: a driver registers its UI's address with the
     * master before its application has started).
     */
    public static WebRoutes later(Supplier<WebRoutes> later) {
        return new WebRoutes(requireNonNull(later, "later is null"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The route for {@code path}, with its segments' values, if one matches. */
    Optional<Match> match(String path) {
        if (later != null) {
            WebRoutes current = later.get();
            return current == null ? Optional.of(new Match(STARTING, Map.of())) : current.match(path);
        }
        String[] segments = segments(path);
        for (Route route : routes) {
            Map<String, String> parameters = route.match(segments);
            if (parameters != null) {
                return Optional.of(new Match(route.handler(), parameters));
            }
        }
        return Optional.empty();
    }

    private static final WebHandler STARTING = request -> WebResponse.text(503, "Starting; try again in a moment\n");

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** A route that matched, and the values of its {@code {name}} segments. */
    record Match(WebHandler handler, Map<String, String> parameters) {
    }

    private record Route(String[] pattern, WebHandler handler) {

        Map<String, String> match(String[] segments) {
            if (segments.length != pattern.length) {
                return null;
            }
            Map<String, String> parameters = new HashMap<>();
            for (int i = 0; i < pattern.length; i++) {
                String part = pattern[i];
                if (part.startsWith("{") && part.endsWith("}")) {
                    if (segments[i].isEmpty()) {
                        return null;
                    }
                    parameters.put(part.substring(1, part.length() - 1), segments[i]);
                } else if (!part.equals(segments[i])) {
                    return null;
                }
            }
            return parameters;
        }
    }

    /** Collects routes; not thread-safe. */
    public static final class Builder {

        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /** Answers GET {@code pattern} with {@code handler}. */
        public Builder get(String pattern, WebHandler handler) {
            requireNonNull(pattern, "pattern is null");
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("a route's pattern starts with '/': " + pattern);
            }
            routes.add(new Route(segments(pattern), requireNonNull(handler, "handler is null")));
            return this;
        }

        /** Every route of {@code other} (a table of its own), after the ones added so far. */
        public Builder addAll(WebRoutes other) {
            if (other.later != null) {
                throw new IllegalArgumentException("routes known only later cannot be copied");
            }
            routes.addAll(other.routes);
            return this;
        }

        public WebRoutes build() {
            return new WebRoutes(routes);
        }
    }
}
