package io.ember.core.web;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the metric families a server reports from one snapshot of its state, for a
 * {@code MultiCollector} that reads the state once per scrape: gauges and counters, plain or with
 * one label. A counter is named without its {@code _total} suffix, which the exposition formats add.
 *
 * <p>Not thread-safe: one builder per scrape.
 */
public final class MetricFamilies {

    private final List<MetricSnapshot> families = new ArrayList<>();

    /** A gauge with one value. */
    public MetricFamilies gauge(String name, String help, double value) {
        families.add(GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build());
        return this;
    }

    /** A gauge with one value per value of {@code label}, in the map's order. */
    public MetricFamilies gauge(String name, String help, String label, Map<String, ? extends Number> values) {
        requireNonNull(label, "label is null");
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((value, number) -> gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of(label, value)).value(number.doubleValue()).build()));
        families.add(gauge.build());
        return this;
    }

    /** A counter with one value; {@code name} without {@code _total}. */
    public MetricFamilies counter(String name, String help, long value) {
        families.add(CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build());
        return this;
    }

    /** A counter with one value per value of {@code label}; {@code name} without {@code _total}. */
    public MetricFamilies counter(String name, String help, String label, Map<String, ? extends Number> values) {
        requireNonNull(label, "label is null");
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
        values.forEach((value, number) -> counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, value)).value(number.doubleValue()).build()));
        families.add(counter.build());
        return this;
    }

    /** The families added so far. */
    public MetricSnapshots build() {
        return new MetricSnapshots(families);
    }
}
