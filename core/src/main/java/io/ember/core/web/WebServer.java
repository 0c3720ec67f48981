package io.ember.core.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.ember.core.config.ServerAddress;
import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's web server: the UI pages, the REST API under {@code /api/v1/} and
 * {@code /metrics}, all answered from a {@link WebRoutes} table on Jetty's core handlers (no
 * servlet container). It listens on the role's bind address; {@link #url()} names the advertised
 * one.
 *
 * <p>With credentials (see {@link WebCredentials}) every request without them is answered 401 with
 * a Basic challenge. Only GET and HEAD are served (405 otherwise). A path no route matches is 404:
 * as JSON under {@code /api/}, as a page elsewhere. A route that throws is logged and answered 500
 * without the exception's text.
 *
 * <p>The server runs on a small pool of daemon threads of its own ({@value #MAX_THREADS} at most),
 * so the UI never takes threads from the scheduler, however many people look. Thread-safe.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    static final int MAX_THREADS = 8;

    private final String role;
    private final Server server;
    private final String url;

    private WebServer(String role, Server server, String url) {
        this.role = role;
        this.server = server;
        this.url = url;
    }

    /**
     * Starts a server on {@code port}, or on the next free one of the {@code retries} after it (as
     * Spark does, so that several drivers on one host each get a UI).
     *
     * @param role what serves, for thread names and log lines, e.g. {@code driver}
     * @param address where to listen, and the address to name in {@link #url()}
     * @param port the first port to try, above 0
     * @param retries how many ports after {@code port} to try when it is taken
     * @throws IOException when no port of the range is free, or the server cannot start
     */
    public static WebServer start(String role, ServerAddress address, int port, int retries,
                                  Optional<WebCredentials> credentials, WebRoutes routes) throws IOException {
        requireNonNull(role, "role is null");
        requireNonNull(address, "address is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(routes, "routes is null");
        if (port <= 0 || port > 65_535 || retries < 0) {
            throw new IllegalArgumentException("port " + port + " with " + retries + " retries");
        }
        int last = Math.min(65_535, port + retries);
        for (int candidate = port; candidate <= last; candidate++) {
            Server server = newServer(role, address.bind(), candidate, new Dispatch(credentials, routes));
            try {
                server.start();
            } catch (Exception e) {
                stopQuietly(server);
                if (isBindFailure(e) && candidate < last) {
                    LOG.debug("The {} web UI cannot listen on port {}; trying {}", role, candidate, candidate + 1);
                    continue;
                }
                if (isBindFailure(e)) {
                    throw new IOException("no free port for the " + role + " web UI on " + address.bind() + " in "
                            + port + ".." + last, e);
                }
                throw new IOException("cannot start the " + role + " web UI on " + address.bind() + ":" + candidate
                        + ": " + e.getMessage(), e);
            }
            int actual = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            return new WebServer(role, server, "http://" + hostForUrl(address.advertised()) + ":" + actual);
        }
        throw new AssertionError("unreachable");
    }

    /**
     * Starts the web server {@code port} asks for, if any: none when it is {@linkplain WebUiPort#enabled()
     * off}, and none, after one WARN line, when it cannot start (no free port in its range, say): a
     * process never fails for want of its web UI.
     *
     * @param role what serves, as in {@link #start}; the WARN line names it
     */
    public static Optional<WebServer> startIfEnabled(String role, ServerAddress address, WebUiPort port,
                                                     Optional<WebCredentials> credentials, WebRoutes routes) {
        requireNonNull(port, "port is null");
        if (!port.enabled()) {
            return Optional.empty();
        }
        try {
            return Optional.of(start(role, address, port.port(), port.retries(), credentials, routes));
        } catch (IOException e) {
            LOG.warn("The {} runs without its web UI: {}{}", role, e.getMessage(), port.setting().isEmpty() ? ""
                    : " (set " + port.setting() + " to a free port, or 0 to turn the web UI off)");
            return Optional.empty();
        }
    }

    private static Server newServer(String role, String host, int port, Handler handler) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("ember-web-" + role);
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setReuseAddress(true);
        server.addConnector(connector);
        server.setHandler(handler);
        // No graceful stop: a stopping master or worker must not wait for a browser's or a scraper's idle
        // keep-alive connection (it waited 1 s for one in a measurement; nothing is lost by not waiting).
        server.setStopTimeout(0);
        return server;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The server's base URL at the advertised address, e.g. {@code http://10.0.0.5:4040}. */
    public String url() {
        return url;
    }

    /** The port it listens on. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("Stopping a web server failed", e);
        }
    }

    @Override
    public String toString() {
        return "WebServer[" + role + " at " + url + "]";
    }

    /** Authenticates, routes, answers. */
    private static final class Dispatch extends Handler.Abstract {

        private final Optional<WebCredentials> credentials;
        private final WebRoutes routes;

        Dispatch(Optional<WebCredentials> credentials, WebRoutes routes) {
            super(InvocationType.BLOCKING);
            this.credentials = credentials;
            this.routes = routes;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String method = request.getMethod();
            boolean head = HttpMethod.HEAD.is(method);
            WebResponse answer = answer(request, method);
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            answer.headers().forEach(response.getHeaders()::put);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(answer.body()), callback);
            return true;
        }

        private WebResponse answer(Request request, String method) {
            String path = URIUtil.decodePath(Request.getPathInContext(request));
            if (credentials.isPresent()
                    && !credentials.get().accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                return new WebResponse(401, WebResponse.TEXT,
                        "Authentication required: user 'ember' and the password derived from ember.auth.secret\n"
                                .getBytes(UTF_8),
                        Map.of("WWW-Authenticate", "Basic realm=\"Ember\", charset=\"UTF-8\""));
            }
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                return new WebResponse(405, WebResponse.TEXT, "Only GET and HEAD are served\n".getBytes(
                        UTF_8), Map.of("Allow", "GET, HEAD"));
            }
            Optional<WebRoutes.Match> match = routes.match(path);
            if (match.isEmpty()) {
                return notFound(path);
            }
            try {
                WebRequest webRequest = new WebRequest(path, match.get().parameters(), query(request),
                        headers(request));
                return match.get().handler().handle(webRequest);
            } catch (Exception | LinkageError e) {
                LOG.warn("Answering {} failed", path, e);
                return path.startsWith("/api/") ? WebResponse.jsonError(500, "internal error answering " + path)
                        : WebResponse.text(500, "Internal error answering " + path + "; the server's log says why\n");
            }
        }

        private static WebResponse notFound(String path) {
            return path.startsWith("/api/") ? WebResponse.jsonError(404, "no such resource: " + path)
                    : WebResponse.html(404, Html.page("Not found", "", "<p>Nothing is served at "
                            + Html.escape(path) + ".</p><p><a href=\"/\">Back to the start page</a></p>"));
        }

        private static Map<String, String> headers(Request request) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.putIfAbsent(field.getLowerCaseName(), field.getValue());
            }
            return headers;
        }

        private static Map<String, List<String>> query(Request request) {
            Fields fields = Request.extractQueryParameters(request);
            Map<String, List<String>> query = new LinkedHashMap<>();
            for (Fields.Field field : fields) {
                query.put(field.getName(), new ArrayList<>(field.getValues()));
            }
            return query;
        }
    }
}
