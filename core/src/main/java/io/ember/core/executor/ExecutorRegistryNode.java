package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.Registration;
import io.ember.core.coordination.Registrations;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor's node in ZooKeeper's executor registry ({@code apps/<app>/executors/<id>},
 * ephemeral) and the ZooKeeper session that holds it, on a thread of its own
 * ({@code ember-executor-zookeeper}): connects, registers once the driver has accepted the
 * executor, creates the node again after an expired session ({@link Registration}), and closes.
 * The node holds a {@code StoredExecutor} ({@link ExecutorMessages#storedExecutor}).
 *
 * <p>A failure to connect or to register is not thrown: it is handed, as one line, to the
 * {@code failed} callback (which stops the executor). Thread-safe: the public methods queue work on
 * the ZooKeeper thread.
 */
final class ExecutorRegistryNode {

    private static final Logger log = LoggerFactory.getLogger(ExecutorRegistryNode.class);

    private final ExecutorArguments arguments;
    private final ZooKeeperSettings settings;
    private final long pid;
    private final BooleanSupplier stopping;
    private final Consumer<String> failed;
    private final EventLoop thread;
    private final CompletableFuture<CuratorFramework> zooKeeper = new CompletableFuture<>();

    /** Only on the ZooKeeper thread. */
    private Registration registration;
    /** Only on the ZooKeeper thread. */
    private boolean closed;

    /**
     * @param settings how to reach ZooKeeper (with the cluster's secret, if any)
     * @param stopping whether the executor is stopping (then nothing is registered any more)
     * @param failed told the line to log when ZooKeeper cannot be reached or the node not created
     */
    ExecutorRegistryNode(ExecutorArguments arguments, ZooKeeperSettings settings, long pid, BooleanSupplier stopping,
            Consumer<String> failed) {
        this.arguments = requireNonNull(arguments, "arguments is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.pid = pid;
        this.stopping = requireNonNull(stopping, "stopping is null");
        this.failed = requireNonNull(failed, "failed is null");
        this.thread = EventLoop.start("ember-executor-zookeeper");
    }

    /** Begins connecting to ZooKeeper; returns at once. */
    void connect() {
        thread.execute(() -> {
            try {
                zooKeeper.complete(ZooKeeperClients.connect(settings));
            } catch (RuntimeException e) {
                zooKeeper.completeExceptionally(e);
                failed.accept("Executor " + arguments.executorId() + " cannot register in ZooKeeper: "
                        + e.getMessage() + "; exiting");
            }
        });
    }

    /** Creates the node as soon as ZooKeeper is connected; returns at once. */
    void register() {
        zooKeeper.thenAcceptAsync(this::register, thread);
    }

    /**
     * Removes the node and closes the session (so the node goes at once, not after the session
     * timeout), after a connection attempt still in progress; waits up to {@code wait}.
     */
    void close(Duration wait) {
        try {
            thread.ask("closing ZooKeeper", () -> {
                closeOnThread();
                return null;
            }, wait);
        } catch (RuntimeException e) {
            log.debug("Could not close the ZooKeeper session ({}); it ends with this process", e.toString());
        }
        thread.shutdown(Duration.ZERO);
    }

    private void register(CuratorFramework client) {
        if (closed || stopping.getAsBoolean()) {
            return;
        }
        byte[] stored = ExecutorMessages.storedExecutor(arguments, pid, Runtime.getRuntime().maxMemory());
        try {
            registration = new Registrations(client, new ClusterPaths(arguments.cluster()))
                    .registerExecutor(arguments.appId(), arguments.executorId(), stored);
            registration.whenSessionRenewed(thread, this::sessionRenewed);
            log.debug("Executor {} registered in ZooKeeper at {}", arguments.executorId(), registration.path());
        } catch (CoordinationException e) {
            failed(e);
        }
    }

    /** After an expired session, the node is gone: create it again on the new session. */
    private void sessionRenewed() {
        if (closed || stopping.getAsBoolean()) {
            return;
        }
        try {
            registration.recreate();
            log.debug("Executor {} registered in ZooKeeper at {}", arguments.executorId(), registration.path());
        } catch (CoordinationException e) {
            failed(e);
        }
    }

    private void failed(CoordinationException e) {
        failed.accept("Executor " + arguments.executorId() + " of application " + arguments.appId()
                + " cannot register in ZooKeeper: " + e.getMessage() + "; exiting");
    }

    private void closeOnThread() {
        closed = true;
        if (registration != null) {
            registration.close();
        }
        if (zooKeeper.isDone() && !zooKeeper.isCompletedExceptionally()) {
            zooKeeper.join().close();
        }
    }
}
