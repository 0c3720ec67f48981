package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.web.JvmMetricFamilies;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The driver's {@code /metrics}: its {@link DriverMetrics} (jobs, stages, executors, allocation
 * decisions) under {@code ember_driver_*} names, task counters and the scheduler delay counted as
 * the scheduler's listeners hear of tasks, and the JVM's metrics. One registry per application, so
 * several drivers in one JVM (tests, a notebook) do not mix.
 *
 * <p>Thread-safe: counters are incremented on the listener bus's thread, and the registry is read
 * on the web server's.
 */
final class DriverPrometheus implements SchedulerListener {

    /** DriverMetrics names and their Prometheus counters (the writer adds {@code _total}). */
    private static final Map<String, String> COUNTERS = Map.ofEntries(
            Map.entry(DriverMetrics.JOBS_STARTED, "ember_driver_jobs_started"),
            Map.entry(DriverMetrics.JOBS_SUCCEEDED, "ember_driver_jobs_succeeded"),
            Map.entry(DriverMetrics.JOBS_FAILED, "ember_driver_jobs_failed"),
            Map.entry(DriverMetrics.STAGES_SUBMITTED, "ember_driver_stages_submitted"),
            Map.entry(DriverMetrics.STAGES_COMPLETED, "ember_driver_stages_completed"),
            Map.entry(DriverMetrics.STAGES_FAILED, "ember_driver_stages_failed"),
            Map.entry(DriverMetrics.EXECUTORS_ADDED, "ember_driver_executors_added"),
            Map.entry(DriverMetrics.EXECUTORS_REMOVED, "ember_driver_executors_removed"),
            Map.entry(DriverMetrics.TARGET_RAISED, "ember_driver_allocation_target_raised"),
            Map.entry(DriverMetrics.TARGET_LOWERED, "ember_driver_allocation_target_lowered"),
            Map.entry(DriverMetrics.EXECUTORS_REQUESTED, "ember_driver_allocation_executors_requested"),
            Map.entry(DriverMetrics.EXECUTORS_RELEASED, "ember_driver_allocation_executors_released"),
            Map.entry(DriverMetrics.EXECUTORS_KILLED, "ember_driver_allocation_executors_killed"));

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter tasksLaunched;
    private final Counter tasksEnded;
    private final Counter shuffleRead;
    private final Counter shuffleWritten;
    private final Counter shuffleFetchFailures;
    private final Histogram schedulerDelay;
    private final String application;
    /** Launch times of running task attempts: written on the listener bus's thread, counted by scrapes. */
    private final Map<Long, Long> launchedAt = new ConcurrentHashMap<>();

    /**
     * What the driver's metrics read besides its {@link DriverMetrics} and its listener.
     *
     * @param executorCores the cores of the executors registered now
     * @param taskCpus cores one task takes ({@code ember.task.cpus})
     * @param zooKeeperConnected whether the driver's ZooKeeper client is connected; empty without a
     *     cluster (local mode), and then no metric
     * @param rpcErrors calls the driver's RPC server ended with a status other than OK, by code name
     */
    record Sources(IntSupplier executorCores, int taskCpus, Optional<BooleanSupplier> zooKeeperConnected,
                   Supplier<Map<String, Long>> rpcErrors) {
        Sources {
            requireNonNull(executorCores, "executorCores is null");
            requireNonNull(zooKeeperConnected, "zooKeeperConnected is null");
            requireNonNull(rpcErrors, "rpcErrors is null");
        }
    }

    DriverPrometheus(DriverMetrics metrics, String applicationId, Sources sources) {
        requireNonNull(metrics, "metrics is null");
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(sources, "sources is null");
        JvmMetricFamilies.register(registry);
        COUNTERS.forEach((name, metric) -> CounterWithCallback.builder().name(metric)
                .help("Driver: " + name.replace('.', ' ')).labelNames("application")
                .callback(callback -> callback.call(value(metrics, name), applicationId)).register(registry));
        GaugeWithCallback.builder().name("ember_driver_executors").help("Executors registered with the driver now")
                .labelNames("application")
                .callback(c -> c.call(value(metrics, DriverMetrics.EXECUTORS_LIVE), applicationId)).register(registry);
        GaugeWithCallback.builder().name("ember_driver_allocation_target")
                .help("The executor total the application asks the cluster for now").labelNames("application")
                .callback(c -> c.call(value(metrics, DriverMetrics.ALLOCATION_TARGET), applicationId))
                .register(registry);
        GaugeWithCallback.builder().name("ember_driver_tasks_running").help("Tasks running now")
                .labelNames("application").callback(c -> c.call(launchedAt.size(), applicationId))
                .register(registry);
        GaugeWithCallback.builder().name("ember_driver_executor_cores")
                .help("Cores of the executors registered with the driver now").labelNames("application")
                .callback(c -> c.call(sources.executorCores().getAsInt(), applicationId)).register(registry);
        GaugeWithCallback.builder().name("ember_driver_cores_busy")
                .help("Cores the running tasks take now (tasks running times ember.task.cpus)")
                .labelNames("application")
                .callback(c -> c.call((double) launchedAt.size() * sources.taskCpus(), applicationId))
                .register(registry);
        sources.zooKeeperConnected().ifPresent(connected -> GaugeWithCallback.builder()
                .name("ember_zookeeper_connected").help("1 while the ZooKeeper client is connected, else 0")
                .callback(c -> c.call(connected.getAsBoolean() ? 1 : 0)).register(registry));
        CounterWithCallback.builder().name("ember_driver_rpc_errors")
                .help("Calls the driver's RPC server (executors' streams and uploads) ended with a status other "
                        + "than OK, by status code")
                .labelNames("application", "code")
                .callback(c -> sources.rpcErrors().get().forEach((code, n) -> c.call(n, applicationId, code)))
                .register(registry);
        shuffleFetchFailures = Counter.builder().name("ember_driver_shuffle_fetch_failures")
                .help("Task attempts that failed because they could not fetch a map output (the map stage then "
                        + "runs again for it)")
                .labelNames("application").register(registry);
        shuffleFetchFailures.labelValues(applicationId);
        tasksLaunched = Counter.builder().name("ember_driver_tasks_launched").help("Task attempts sent to executors")
                .labelNames("application").register(registry);
        tasksEnded = Counter.builder().name("ember_driver_tasks_ended")
                .help("Task attempts that ended, by outcome (finished, failed, killed, lost)")
                .labelNames("application", "outcome").register(registry);
        shuffleRead = Counter.builder().name("ember_driver_shuffle_read_bytes")
                .help("Shuffle bytes the application's tasks fetched").labelNames("application").register(registry);
        shuffleWritten = Counter.builder().name("ember_driver_shuffle_write_bytes")
                .help("Shuffle bytes the application's tasks wrote").labelNames("application").register(registry);
        schedulerDelay = Histogram.builder().name("ember_driver_task_scheduler_delay_seconds")
                .help("Per finished task, the time from its launch by the driver to the driver hearing of its end, "
                        + "less the time it ran on the executor: sending it, queueing there, and its result's way "
                        + "back")
                .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                        1, 2.5, 5)
                .labelNames("application").register(registry);
        for (String outcome : List.of("finished", "failed", "killed", "lost")) {
            tasksEnded.labelValues(applicationId, outcome);
        }
        this.application = applicationId;
    }

    private static double value(DriverMetrics metrics, String name) {
        return metrics.value(name);
    }

    PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void onTaskStart(TaskStart event) {
        tasksLaunched.labelValues(application).inc();
        launchedAt.put(event.taskId(), event.timeMillis());
    }

    @Override
    public void onTaskEnd(TaskEnd event) {
        tasksEnded.labelValues(application, event.outcome().name().toLowerCase(Locale.ROOT)).inc();
        shuffleRead.labelValues(application).inc(event.metrics().shuffleReadBytes());
        shuffleWritten.labelValues(application).inc(event.metrics().shuffleWriteBytes());
        if (event.fetchFailed()) {
            shuffleFetchFailures.labelValues(application).inc();
        }
        Long launched = launchedAt.remove(event.taskId());
        if (launched != null && event.outcome() == Outcome.FINISHED) {
            double delay = (event.timeMillis() - launched) / 1000.0 - event.metrics().runNanos() / 1e9;
            schedulerDelay.labelValues(application).observe(Math.max(0, delay));
        }
    }
}
