package io.ember.core.master.web;

import static java.util.Objects.requireNonNull;

import io.ember.core.web.JvmMetricFamilies;
import io.ember.core.web.MetricFamilies;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The master's Prometheus metrics, read from one {@link MasterStatus} per scrape: whether it leads
 * and its epoch, the workers, applications and executors by state, the cluster's cores and memory,
 * what it has done (leaderships, launches, failures, requests, kills), its ZooKeeper connection and
 * the calls its RPC server refused or failed. {@code docs/monitoring.md} lists them.
 *
 * <p>Thread-safe: a scrape reads the master through its {@link MasterStatusSource}.
 */
final class MasterMetrics implements MultiCollector {

    private final MasterStatusSource source;

    MasterMetrics(MasterStatusSource source) {
        this.source = requireNonNull(source, "source is null");
    }

    /** A registry of its own with these metrics and the JVM's. */
    static PrometheusRegistry registry(MasterStatusSource source) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new MasterMetrics(source));
        JvmMetricFamilies.register(registry);
        return registry;
    }

    @Override
    public MetricSnapshots collect() {
        MasterStatus status = source.status();
        MasterStatus.Activity activity = status.activity();
        Map<String, Integer> workers = counts("ALIVE", "UNREACHABLE", "RECOVERING");
        int cores = 0;
        int coresUsed = 0;
        long memoryMb = 0;
        long memoryUsedMb = 0;
        for (MasterApi.Worker worker : status.workers()) {
            workers.merge(worker.state(), 1, Integer::sum);
            cores += worker.cores();
            coresUsed += worker.coresUsed();
            memoryMb += worker.memoryMb();
            memoryUsedMb += worker.memoryUsedMb();
        }
        Map<String, Integer> applications = counts("RUNNING", "WAITING", "FAILED");
        Map<String, Integer> executors = counts("LAUNCHING", "RUNNING");
        for (MasterApi.Application app : status.applications()) {
            if (app.ended()) {
                continue;
            }
            applications.merge(app.state(), 1, Integer::sum);
            for (MasterApi.Executor executor : app.executors()) {
                executors.merge(executor.state(), 1, Integer::sum);
            }
        }
        return new MetricFamilies()
                .gauge("ember_master_leader", "1 while this master leads its cluster, else 0",
                        status.master().leads() ? 1 : 0)
                .gauge("ember_master_epoch", "The leadership epoch: this master's while it leads, else the "
                        + "leader's it knows of (0 for none)", status.master().epoch())
                .counter("ember_master_failovers", "Times this master became the leader", activity.leaderships())
                .gauge("ember_master_workers", "Registered workers by state (the leader's view; 0 on a standby)",
                        "state", workers)
                .gauge("ember_master_applications", "Registered applications by state", "state", applications)
                .gauge("ember_master_executors", "Executors placed by the leader, by state", "state", executors)
                .gauge("ember_master_cores", "Cores the registered workers offer", cores)
                .gauge("ember_master_cores_used", "Cores the executors hold, launching or running", coresUsed)
                .gauge("ember_master_memory_bytes", "Memory the registered workers offer", memoryMb << 20)
                .gauge("ember_master_memory_used_bytes", "Memory the executors hold", memoryUsedMb << 20)
                .counter("ember_master_executors_launched", "Executors this master asked workers to launch",
                        activity.executorsLaunched())
                .counter("ember_master_executors_failed", "Executors that failed (ended by themselves with a "
                        + "non-zero exit code)", activity.executorsFailed())
                .counter("ember_master_executor_requests", "Executor requests (RequestTotalExecutors) drivers sent "
                        + "this master as the leader", activity.executorRequests())
                .counter("ember_master_executor_kills", "Executors drivers asked this master to kill",
                        activity.executorKills())
                .counter("ember_master_rpc_errors", "Calls the master's RPC server ended with a status other "
                        + "than OK, by status code", "code", activity.rpcErrors())
                .gauge("ember_zookeeper_connected", "1 while the ZooKeeper client is connected, else 0",
                        activity.zooKeeperConnected() ? 1 : 0)
                .build();
    }

    private static Map<String, Integer> counts(String... states) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String state : states) {
            counts.put(state, 0);
        }
        return counts;
    }
}
