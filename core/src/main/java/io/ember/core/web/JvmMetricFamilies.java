package io.ember.core.web;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The JVM's and the process's metrics (memory and its pools, GC, threads, classes, JIT, buffer
 * pools, CPU, open files, the runtime's version), registered into one server's own registry.
 *
 * <p>Not the client's {@code JvmMetrics.builder().register(registry)}: that remembers every registry
 * in a static set (several masters and workers run in one JVM in a local cluster and in tests, and
 * each would stay reachable after it stopped), and its allocation metric adds a listener to every
 * garbage collector that is never removed. The families below read the JVM's management beans when
 * scraped and keep nothing outside the registry.
 */
public final class JvmMetricFamilies {

    private JvmMetricFamilies() {
    }

    /** Registers the JVM's and the process's metric families into {@code registry}. */
    public static void register(PrometheusRegistry registry) {
        requireNonNull(registry, "registry is null");
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }
}
