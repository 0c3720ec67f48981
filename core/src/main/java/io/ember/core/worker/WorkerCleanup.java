package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.ClusterPaths;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Runs a worker's {@link LeftoverSweep} at start and every {@code ember.worker.cleanup.interval},
 * on a thread of its own, against the applications ZooKeeper records as live.
 */
final class WorkerCleanup implements AutoCloseable {

    private final LeftoverSweep sweep;
    private final Duration interval;
    private final EventLoop loop;

    WorkerCleanup(WorkerOptions options, CuratorFramework zooKeeper, Supplier<Set<String>> runningHere) {
        requireNonNull(options, "options is null");
        requireNonNull(zooKeeper, "zooKeeper is null");
        ClusterPaths paths = new ClusterPaths(options.cluster());
        this.sweep = new LeftoverSweep(new WorkDirectories(options.workDir()), () -> liveApplications(zooKeeper, paths),
                runningHere, options.cleanupGrace(), Clock.systemUTC());
        this.interval = options.cleanupInterval();
        this.loop = EventLoop.start("ember-worker-cleanup");
    }

    /** Sweeps now, then every interval. */
    void start() {
        loop.execute(sweep::sweep);
        loop.scheduleWithFixedDelay(sweep::sweep, interval, interval);
    }

    /** The applications ZooKeeper records; empty when it cannot be asked. */
    private static Optional<Set<String>> liveApplications(CuratorFramework zooKeeper, ClusterPaths paths) {
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
