package io.ember.core.worker.web;

import static java.util.Objects.requireNonNull;

import io.ember.core.web.JvmMetricFamilies;
import io.ember.core.web.MetricFamilies;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A worker's Prometheus metrics, read from one {@link WorkerStatus} per scrape: its executors by
 * state, the cores and memory it offers and its executors hold, executors launched and ended (by
 * how), its embedded shuffle service's applications, its ZooKeeper connection and the calls its RPC
 * server refused or failed. {@code docs/monitoring.md} lists them.
 *
 * <p>The shuffle plugin's SPI exposes no counters of its service (bytes served, connections, fetch
 * failures), so the worker reports none.
 *
 * <p>Thread-safe.
 */
final class WorkerMetrics implements MultiCollector {

    private final WorkerStatusSource source;

    WorkerMetrics(WorkerStatusSource source) {
        this.source = requireNonNull(source, "source is null");
    }

    /** A registry of its own with these metrics and the JVM's. */
    static PrometheusRegistry registry(WorkerStatusSource source) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new WorkerMetrics(source));
        JvmMetricFamilies.register(registry);
        return registry;
    }

    @Override
    public MetricSnapshots collect() {
        WorkerStatus status = source.status();
        WorkerApi.Worker worker = status.worker();
        Map<String, Integer> live = new LinkedHashMap<>();
        live.put("LAUNCHING", 0);
        live.put("RUNNING", 0);
        for (WorkerApi.Executor executor : status.executors()) {
            if (executor.live()) {
                live.merge(executor.state(), 1, Integer::sum);
            }
        }
        Map<String, Long> ended = new LinkedHashMap<>();
        status.activity().executorsEnded().forEach((how, count) -> ended.put(how.toLowerCase(Locale.ROOT), count));
        MetricFamilies families = new MetricFamilies()
                .gauge("ember_worker_executors", "Executors launching or running here, by state", "state", live)
                .gauge("ember_worker_cores", "Cores this worker offers to executors", worker.cores())
                .gauge("ember_worker_cores_used", "Cores its executors hold, launching or running", worker.coresUsed())
                .gauge("ember_worker_memory_bytes", "Memory this worker offers to executors", worker.memoryMb() << 20)
                .gauge("ember_worker_memory_used_bytes", "Memory its executors hold", worker.memoryUsedMb() << 20)
                .counter("ember_worker_executors_launched", "Executors this worker launched",
                        status.activity().executorsLaunched())
                .counter("ember_worker_executors_exited", "Executors that ended here, by how: exited (code 0), "
                        + "failed, killed (by the worker)", "reason", ended)
                .counter("ember_worker_rpc_errors", "Calls the worker's RPC server ended with a status other than "
                        + "OK, by status code", "code", status.activity().rpcErrors())
                .gauge("ember_zookeeper_connected", "1 while the ZooKeeper client is connected, else 0",
                        status.activity().zooKeeperConnected() ? 1 : 0);
        if (status.activity().shuffleApplications() >= 0) {
            families.gauge("ember_worker_shuffle_service_applications", "Applications whose shuffle files or "
                    + "registrations the embedded shuffle service holds", status.activity().shuffleApplications());
        }
        return families.build();
    }
}
