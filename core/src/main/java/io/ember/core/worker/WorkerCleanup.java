package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.ClusterPaths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what ended applications left on a host, at start and every
 * {@code ember.worker.cleanup.interval}, on a thread of its own, against the applications
 * ZooKeeper records as live ({@code /ember/<cluster>/apps}): a worker's {@link LeftoverSweep} (its
 * work directories, unless it keeps them) and the {@link ShuffleReconciliation} of its embedded
 * shuffle service; or, for {@code ember shuffle-service}, that service's reconciliation alone. Both
 * wait {@code ember.worker.cleanup.grace} after an application left the record.
 *
 * <p>Thread-safe; {@link #close()} stops the thread.
 */
public final class WorkerCleanup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerCleanup.class);

    private final List<Runnable> tasks;
    private final Duration interval;
    private final EventLoop loop;

    private WorkerCleanup(String threadName, Duration interval, List<Runnable> tasks) {
        this.tasks = List.copyOf(tasks);
        this.interval = requireNonNull(interval, "interval is null");
        this.loop = EventLoop.start(threadName);
    }

    /**
     * A worker's cleanup: the sweep of its work directories unless {@code ember.worker.keepWorkDirs},
     * and the reconciliation of its embedded shuffle service when it has one; empty when neither.
     */
    static Optional<WorkerCleanup> forWorker(WorkerOptions options, CuratorFramework zooKeeper,
                                             Supplier<Set<String>> runningHere, Optional<ShuffleServiceHost> service) {
        requireNonNull(options, "options is null");
        requireNonNull(zooKeeper, "zooKeeper is null");
        requireNonNull(runningHere, "runningHere is null");
        ClusterPaths paths = new ClusterPaths(options.cluster());
        Supplier<Optional<Set<String>>> live = () -> liveApplications(zooKeeper, paths);
        List<Runnable> tasks = new ArrayList<>();
        if (!options.keepWorkDirs()) {
            LeftoverSweep sweep = new LeftoverSweep(new WorkDirectories(options.workDir()), live, runningHere,
                    options.cleanupGrace(), Clock.systemUTC());
            tasks.add(sweep::sweep);
        }
        service.ifPresent(host -> {
            ShuffleReconciliation reconciliation = new ShuffleReconciliation(host, live, runningHere,
                    options.cleanupGrace(), Clock.systemUTC());
            tasks.add(reconciliation::reconcile);
        });
        return tasks.isEmpty() ? Optional.empty()
                : Optional.of(new WorkerCleanup("ember-worker-cleanup", options.cleanupInterval(), tasks));
    }

    /**
     * The cleanup of {@code ember shuffle-service}: reconciles the service against the applications
     * {@code zooKeeper} records as live in {@code cluster}, every {@code interval}, removing those
     * absent for {@code grace}.
     *
     * @param zooKeeper a started client; it may connect later (nothing is removed until it does)
     */
    public static WorkerCleanup forShuffleService(ShuffleServiceHost service, CuratorFramework zooKeeper, String cluster,
                                                  Duration interval, Duration grace, Clock clock) {
        requireNonNull(service, "service is null");
        requireNonNull(zooKeeper, "zooKeeper is null");
        ClusterPaths paths = new ClusterPaths(cluster);
        ShuffleReconciliation reconciliation = new ShuffleReconciliation(service,
                () -> liveApplications(zooKeeper, paths), Set::of, grace, clock);
        return new WorkerCleanup("ember-shuffle-service-cleanup", interval, List.of(reconciliation::reconcile));
    }

    /** Cleans up now, then every interval. */
    public void start() {
        loop.execute(this::runAll);
        loop.scheduleWithFixedDelay(this::runAll, interval, interval);
    }

    private void runAll() {
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Could not remove what ended applications left: {}", e.toString());
            }
        }
    }

    /** The applications ZooKeeper records; empty when it cannot be asked. */
    static Optional<Set<String>> liveApplications(CuratorFramework zooKeeper, ClusterPaths paths) {
        try {
            return Optional.of(Set.copyOf(zooKeeper.getChildren().forPath(paths.apps())));
        } catch (KeeperException.NoNodeException none) {
            return Optional.of(Set.of());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        loop.shutdownNow(Duration.ofSeconds(5));
    }
}
