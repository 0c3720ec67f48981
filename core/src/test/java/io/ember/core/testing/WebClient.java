package io.ember.core.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.core.web.Json;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A test's client of Ember's web servers: GET a URL (with headers, such as {@code Authorization}),
 * read the answer as text or JSON, and scrape {@code /metrics} in the Prometheus protobuf format,
 * parsed by the Prometheus client's own generated classes.
 */
public final class WebClient {

    /** What a scraper sends to get the protobuf format. */
    public static final String PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            + "encoding=delimited";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private WebClient() {
    }

    /** An answer. */
    public record Answer(int status, Optional<String> contentType, byte[] body) {

        public String text() {
            return new String(body, UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType.orElse("(no content type)") + ": " + text();
        }
    }

    /** GET {@code url} with the header name/value pairs {@code headers}. */
    public static Answer get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type"), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: GET " + url, e);
        }
    }

    /** GET {@code url}, which must answer 200, as JSON. */
    public static JsonNode json(String url, String... headers) {
        Answer answer = get(url, headers);
        if (answer.status() != 200) {
            throw new AssertionError("GET " + url + ": " + answer);
        }
        return answer.json();
    }

    /** Scrapes {@code url} (a {@code /metrics}) in the protobuf format: every family by name. */
    public static Map<String, MetricFamily> scrape(String url, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Accept";
        all[1] = PROTOBUF;
        System.arraycopy(headers, 0, all, 2, headers.length);
        Answer answer = get(url, all);
        if (answer.status() != 200 || !answer.contentType().orElse("").startsWith("application/vnd.google.protobuf")) {
            throw new AssertionError("GET " + url + " in the protobuf format: " + answer.status() + " "
                    + answer.contentType());
        }
        Map<String, MetricFamily> families = new LinkedHashMap<>();
        try (InputStream in = new ByteArrayInputStream(answer.body())) {
            for (MetricFamily family = MetricFamily.parseDelimitedFrom(in); family != null;
                    family = MetricFamily.parseDelimitedFrom(in)) {
                families.put(family.getName(), family);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot parse the metrics of " + url, e);
        }
        return families;
    }

    /**
     * The value of the sample of family {@code name} whose labels include {@code labels} (name/value
     * pairs): a gauge's or a counter's.
     */
    public static double value(Map<String, MetricFamily> families, String name, String... labels) {
        MetricFamily family = families.get(name);
        if (family == null) {
            throw new AssertionError("no metric family " + name + " among " + families.keySet());
        }
        for (Metric metric : family.getMetricList()) {
            boolean matches = true;
            for (int i = 0; i < labels.length; i += 2) {
                String labelName = labels[i];
                String labelValue = labels[i + 1];
                matches &= metric.getLabelList().stream()
                        .anyMatch(pair -> pair.getName().equals(labelName) && pair.getValue().equals(labelValue));
            }
            if (matches) {
                return metric.hasCounter() ? metric.getCounter().getValue() : metric.getGauge().getValue();
            }
        }
        throw new AssertionError("no sample of " + name + " with labels " + String.join(",", labels) + ": " + family);
    }
}
