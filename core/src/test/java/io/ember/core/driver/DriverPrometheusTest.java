package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.FetchFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.StageId;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.scheduler.SchedulerListener.Outcome;
import io.ember.core.scheduler.TaskRunMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The driver's Prometheus metrics that read the driver's parts (executor cores, ZooKeeper, the RPC
 * server's errors) and those counted from the scheduler's events (busy cores, fetch failures), with
 * their sources faked and read through the registry a scrape reads.
 */
final class DriverPrometheusTest {

    private static final String APP = "app-1";

    private final AtomicInteger executorCores = new AtomicInteger();
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final AtomicReference<Map<String, Long>> rpcErrors = new AtomicReference<>(Map.of());

    @Test
    void executorCoresBusyCoresZooKeeperAndRpcErrorsFollowTheirSources() {
        DriverPrometheus prometheus = new DriverPrometheus(new DriverMetrics(), APP,
                new DriverPrometheus.Sources(executorCores::get, 2, Optional.of(connected::get), rpcErrors::get));

        executorCores.set(6);
        prometheus.onTaskStart(start(1));
        prometheus.onTaskStart(start(2));
        assertEquals(6.0, gauge(prometheus, "ember_driver_executor_cores"));
        assertEquals(4.0, gauge(prometheus, "ember_driver_cores_busy"), "two tasks of ember.task.cpus=2");
        assertEquals(1.0, gauge(prometheus, "ember_zookeeper_connected"));

        prometheus.onTaskEnd(end(1, Outcome.FINISHED, ""));
        connected.set(false);
        rpcErrors.set(Map.of("UNAVAILABLE", 3L, "UNAUTHENTICATED", 1L));
        assertEquals(2.0, gauge(prometheus, "ember_driver_cores_busy"));
        assertEquals(0.0, gauge(prometheus, "ember_zookeeper_connected"));
        assertEquals(3.0, counter(prometheus, "ember_driver_rpc_errors", "UNAVAILABLE"));
        assertEquals(1.0, counter(prometheus, "ember_driver_rpc_errors", "UNAUTHENTICATED"));
    }

    @Test
    void aTaskThatCouldNotFetchItsInputCountsAsAFetchFailureAndNoOtherFailureDoes() {
        DriverPrometheus prometheus = new DriverPrometheus(new DriverMetrics(), APP,
                new DriverPrometheus.Sources(executorCores::get, 1, Optional.empty(), Map::of));
        String fetchFailed = FetchFailedException.class.getName();
        assertEquals(0.0, counter(prometheus, "ember_driver_shuffle_fetch_failures", null), "declared at 0");

        prometheus.onTaskEnd(end(1, Outcome.FAILED, fetchFailed + ": shuffle 0, map 3 on 10.0.0.2:7337: refused"));
        prometheus.onTaskEnd(end(2, Outcome.FAILED, "java.lang.IllegalStateException: " + fetchFailed));
        prometheus.onTaskEnd(end(3, Outcome.LOST, fetchFailed));
        prometheus.onTaskEnd(end(4, Outcome.FAILED, fetchFailed + "Other: not the same class"));

        assertEquals(1.0, counter(prometheus, "ember_driver_shuffle_fetch_failures", null));
        assertFalse(names(prometheus).contains("ember_zookeeper_connected"), "no ZooKeeper in local mode: no metric");
    }

    private static SchedulerListener.TaskStart start(long taskId) {
        return new SchedulerListener.TaskStart(new JobId(0), new StageId(0), "default", taskId, (int) taskId, 0,
                "e1", SchedulerListener.Locality.ANY, 1_000);
    }

    private static SchedulerListener.TaskEnd end(long taskId, Outcome outcome, String reason) {
        return new SchedulerListener.TaskEnd(new JobId(0), new StageId(0), "default", taskId, (int) taskId, "e1",
                outcome, TaskRunMetrics.NONE, reason, 2_000);
    }

    private static MetricSnapshot family(DriverPrometheus prometheus, String name) {
        MetricSnapshots all = prometheus.registry().scrape();
        for (MetricSnapshot snapshot : all) {
            if (snapshot.getMetadata().getName().equals(name)) {
                return snapshot;
            }
        }
        throw new AssertionError("no metric " + name + " in " + names(prometheus));
    }

    private static List<String> names(DriverPrometheus prometheus) {
        return prometheus.registry().scrape().stream().map(s -> s.getMetadata().getName()).toList();
    }

    private static double gauge(DriverPrometheus prometheus, String name) {
        GaugeSnapshot gauge = (GaugeSnapshot) family(prometheus, name);
        assertEquals(1, gauge.getDataPoints().size(), name);
        return gauge.getDataPoints().get(0).getValue();
    }

    /** The counter's value for the application (and the status code, when {@code code} is given). */
    private static double counter(DriverPrometheus prometheus, String name, String code) {
        CounterSnapshot counter = (CounterSnapshot) family(prometheus, name);
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
            if (matches(point, code)) {
                return point.getValue();
            }
        }
        throw new AssertionError("no " + name + " for code " + code + ": " + counter.getDataPoints());
    }

    private static boolean matches(DataPointSnapshot point, String code) {
        assertTrue(APP.equals(point.getLabels().get("application")) || point.getLabels().get("application") == null);
        return code == null || code.equals(point.getLabels().get("code"));
    }
}
