package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.ExecutorAllocationClient;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The {@link ExecutorAllocationClient} the allocation policy is given: sends through the master
 * client, counts every decision in the driver's metrics, and before executors are killed stops the
 * task scheduler from sending them more tasks (those running there run again elsewhere).
 *
 * <p>Thread-safe. Whether a call is made on the application's behalf
 * ({@code EmberContext.killExecutors}) or by the policy on its own is told by
 * {@link #onBehalfOfApplication}, which the allocation loop sets around application requests.
 */
final class DriverAllocationClient implements ExecutorAllocationClient {

    private final ExecutorAllocationClient cluster;
    private final BiConsumer<String, String> stopScheduling;
    private final DriverMetrics metrics;
    private volatile boolean forApplication;

    /**
     * @param cluster where requests go (the master client)
     * @param stopScheduling told {@code (executorId, reason)} before an executor is killed
     */
    DriverAllocationClient(ExecutorAllocationClient cluster, BiConsumer<String, String> stopScheduling,
                           DriverMetrics metrics) {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.stopScheduling = requireNonNull(stopScheduling, "stopScheduling is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        metrics.declare(DriverMetrics.TARGET_RAISED, DriverMetrics.TARGET_LOWERED, DriverMetrics.EXECUTORS_REQUESTED,
                DriverMetrics.EXECUTORS_RELEASED, DriverMetrics.EXECUTORS_KILLED);
        metrics.gauge(DriverMetrics.ALLOCATION_TARGET, cluster::requestedTotal);
    }

    /** Runs {@code request} with its kills counted as the application's, not the policy's. */
    <T> T onBehalfOfApplication(Supplier<T> request) {
        forApplication = true;
        try {
            return request.get();
        } finally {
            forApplication = false;
        }
    }

    @Override
    public boolean requestTotalExecutors(int total) {
        int before = cluster.requestedTotal();
        boolean sent = cluster.requestTotalExecutors(total);
        countTargetChange(before, cluster.requestedTotal());
        return sent;
    }

    @Override
    public boolean killExecutors(Collection<String> executorIds, int total) {
        List<String> ids = List.copyOf(requireNonNull(executorIds, "executorIds is null"));
        Set<String> known = cluster.executorIds();
        String reason = forApplication ? "killed at the application's request" : "released by the allocation policy";
        int before = cluster.requestedTotal();
        for (String id : ids) {
            if (known.contains(id)) {
                stopScheduling.accept(id, reason);
            }
        }
        boolean sent = cluster.killExecutors(ids, total);
        metrics.add(forApplication ? DriverMetrics.EXECUTORS_KILLED : DriverMetrics.EXECUTORS_RELEASED,
                ids.stream().filter(known::contains).count());
        countTargetChange(before, cluster.requestedTotal());
        return sent;
    }

    @Override
    public int requestedTotal() {
        return cluster.requestedTotal();
    }

    @Override
    public Set<String> executorIds() {
        return cluster.executorIds();
    }

    private void countTargetChange(int before, int after) {
        if (after > before) {
            metrics.add(DriverMetrics.TARGET_RAISED, 1);
            metrics.add(DriverMetrics.EXECUTORS_REQUESTED, after - before);
        } else if (after < before) {
            metrics.add(DriverMetrics.TARGET_LOWERED, 1);
        }
    }
}
