package io.ember.core.web;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;

/**
 * {@code /metrics}: a Prometheus registry in the format the scraper asks for with its
 * {@code Accept} header (Prometheus text by default; OpenMetrics and protobuf on request), through
 * the Prometheus Java client's own writers.
 */
public final class MetricsRoute {

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    public MetricsRoute(PrometheusRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** Answers a scrape in the format its {@code Accept} header asks for. */
    public WebResponse scrape(WebRequest request) throws Exception {
        return scrape(request.header("accept").orElse(null));
    }

    /** The answer to a scrape whose {@code Accept} header is {@code accept} ({@code null}: text). */
    WebResponse scrape(String accept) throws Exception {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, registry.scrape());
        return new WebResponse(200, writer.getContentType(), out.toByteArray());
    }
}
