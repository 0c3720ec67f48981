package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.ExecutorAllocationClient;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ExecutorAllocationClient} the allocation policy is given: sends through the master
 * client, counts every decision in the driver's metrics, and takes executors out of the task
 * scheduler before they are killed, so that no task is sent to an executor on its way out.
 *
 * <p>Executors the policy releases on its own are killed only if they run no task at that moment
 * (checked and removed in one step on the scheduler's thread); one that has just been given a task
 * stays, and the policy hears of that task as usual. Executors the application kills
 * ({@code EmberContext.killExecutors}) go at once, with their running tasks, which run again
 * elsewhere.
 *
 * <p>Thread-safe. Whether a call is made on the application's behalf or by the policy on its own
 * is told by {@link #onBehalfOfApplication}, which the allocation loop sets around application
 * requests.
 */
final class DriverAllocationClient implements ExecutorAllocationClient {

    /** Where executors stop getting tasks before they are killed: the task scheduler. */
    interface Scheduling {
        /** Removes these executors now; their running tasks run again elsewhere. */
        void remove(String executorId, String reason);

        /** Removes those of these executors that run no task now, and returns them. */
        Set<String> removeIdle(Collection<String> executorIds, String reason);
    }

    /** Hears the allocation decisions that changed something. Called on the deciding thread; must be quick. */
    interface DecisionListener {
        /**
         * @param previousTarget the executor total asked for before
         * @param target the total asked for now
         * @param released executors let go by this decision (idle ones, or killed on request)
         */
        void decided(int previousTarget, int target, List<String> released);
    }

    private static final Logger LOG = LoggerFactory.getLogger(DriverAllocationClient.class);

    private final ExecutorAllocationClient cluster;
    private final Scheduling scheduling;
    private final DriverMetrics metrics;
    private volatile boolean forApplication;
    private final List<DecisionListener> listeners = new CopyOnWriteArrayList<>();

    /** @param cluster where requests go (the master client) */
    DriverAllocationClient(ExecutorAllocationClient cluster, Scheduling scheduling, DriverMetrics metrics) {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.scheduling = requireNonNull(scheduling, "scheduling is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        metrics.declare(DriverMetrics.TARGET_RAISED, DriverMetrics.TARGET_LOWERED, DriverMetrics.EXECUTORS_REQUESTED,
                DriverMetrics.EXECUTORS_RELEASED, DriverMetrics.EXECUTORS_KILLED);
        metrics.gauge(DriverMetrics.ALLOCATION_TARGET, cluster::requestedTotal);
    }

    void addDecisionListener(DecisionListener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
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
        countTargetChange(before, cluster.requestedTotal(), List.of());
        return sent;
    }

    @Override
    public boolean killExecutors(Collection<String> executorIds, int total) {
        List<String> ids = List.copyOf(requireNonNull(executorIds, "executorIds is null"));
        Set<String> known = cluster.executorIds();
        List<String> killed;
        if (forApplication) {
            killed = ids.stream().filter(known::contains).toList();
            killed.forEach(id -> scheduling.remove(id, "killed at the application's request"));
        } else {
            Set<String> idle = scheduling.removeIdle(ids.stream().filter(known::contains).toList(),
                    "released by the allocation policy");
            killed = ids.stream().filter(idle::contains).toList();
            List<String> busy = ids.stream().filter(id -> known.contains(id) && !idle.contains(id)).toList();
            if (!busy.isEmpty()) {
                LOG.info("Not releasing executor(s) {}: a task was sent to them as they were to be released", busy);
            }
        }
        int before = cluster.requestedTotal();
        // ids the driver does not hold (any more) are not sent; the total is, in every case
        boolean reached = killed.isEmpty() ? cluster.requestTotalExecutors(total) : cluster.killExecutors(killed, total);
        metrics.add(forApplication ? DriverMetrics.EXECUTORS_KILLED : DriverMetrics.EXECUTORS_RELEASED, killed.size());
        countTargetChange(before, cluster.requestedTotal(), killed);
        return reached;
    }

    @Override
    public int requestedTotal() {
        return cluster.requestedTotal();
    }

    @Override
    public Set<String> executorIds() {
        return cluster.executorIds();
    }

    private void countTargetChange(int before, int after, List<String> released) {
        if (after != before || !released.isEmpty()) {
            for (DecisionListener listener : listeners) {
                listener.decided(before, after, released);
            }
        }
        if (after > before) {
            metrics.add(DriverMetrics.TARGET_RAISED, 1);
            metrics.add(DriverMetrics.EXECUTORS_REQUESTED, after - before);
        } else if (after < before) {
            metrics.add(DriverMetrics.TARGET_LOWERED, 1);
        }
    }
}
