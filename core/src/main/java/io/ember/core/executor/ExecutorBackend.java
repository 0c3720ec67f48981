package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.Executor;
import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.concurrent.Threads;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcErrors;
import io.grpc.Status;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor: registers with its driver over its stream, registers in ZooKeeper's executor
 * registry ({@code /ember/<cluster>/apps/<app>/executors/<id>}, ephemeral), heartbeats to the
 * driver, and stops when the driver goes away. {@link ExecutorMain} runs one per JVM; tests run
 * them in-process.
 *
 * <p>Threading: thread-safe. Inbound messages are handled on one thread ({@link DriverConnection}),
 * heartbeats on another, ZooKeeper work on a third ({@link ExecutorRegistryNode}).
 *
 * <p>Its full contract (start-up, tasks, the wire, stopping) is in the
 * {@code io.ember.core.executor} package documentation.
 */
public final class ExecutorBackend implements Executor {

    /** Exit code after a clean end: the driver shut the executor down, or it was closed. */
    public static final int EXIT_CLEAN = 0;
    /** Exit code when the driver went away without a goodbye, or the executor could not register. */
    public static final int EXIT_FAILURE = 1;

    /** How long to wait for the first ZooKeeper connection. */
    static final Duration ZOOKEEPER_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    /** Heartbeat interval when the driver names none. */
    static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    private static final long MIN_HEARTBEAT_MILLIS = 10;
    /** How long stopping waits for the registry node to be removed before giving up on it. */
    private static final Duration CLEANUP_WAIT = Duration.ofSeconds(5);

    /**
     * Initialised on first use, not with the class: configuring logging costs a few hundred
     * milliseconds in a fresh JVM, and {@link #start} first sets the ZooKeeper connection and the
     * driver stream going, so that this cost overlaps with theirs instead of preceding them.
     */
    private static final class Log {
        static final Logger INSTANCE = LoggerFactory.getLogger(ExecutorBackend.class);
    }

    private static Logger log() {
        return Log.INSTANCE;
    }

    private enum State { CONNECTING, REGISTERED, STOPPING }

    private final ExecutorArguments arguments;
    private final ExecutorInfo info;
    private final long pid;
    private final long startNanos;
    private final RpcChannels channels;
    private final DriverConnection driver;
    /** The executor's registry node, on the ZooKeeper thread. */
    private final ExecutorRegistryNode registryNode;
    private final EventLoop heartbeats;
    /** Loads the shuffle plugin at the first task that shuffles; nothing happens at start. */
    private final ExecutorShuffleOpener shuffleOpener;
    /** Starts the task executor once the driver has accepted this executor. */
    private final TaskExecutorStart taskStart;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);

    /** Set once, on the inbound thread, after registration; closed when stopping. */
    private volatile TaskExecutor tasks;
    /** Set with {@link #tasks}: the application's JARs' loader, closed when stopping. */
    private volatile URLClassLoader applicationJars;

    private ExecutorBackend(ExecutorArguments arguments, Optional<String> secret, Path workDirectory) {
        this.arguments = requireNonNull(arguments, "arguments is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(workDirectory, "workDirectory is null");
        ZooKeeperSettings zk = new ZooKeeperSettings(arguments.zooKeeperConnect(), arguments.sessionTimeout(),
                ZOOKEEPER_CONNECTION_TIMEOUT, Optional.empty());
        this.info = new ExecutorInfo(arguments.executorId(), arguments.appId(), arguments.workerId(), arguments.host(),
                0, arguments.cores());
        this.pid = ProcessHandle.current().pid();
        this.startNanos = System.nanoTime();
        this.channels = new RpcChannels("executor", secret);
        this.driver = new DriverConnection(arguments.driverAddress());
        this.registryNode = new ExecutorRegistryNode(arguments, secret.map(zk::withSecret).orElse(zk), pid,
                () -> state.get() == State.STOPPING, line -> stop(EXIT_FAILURE, true, line));
        this.heartbeats = EventLoop.start("ember-executor-heartbeat");
        this.shuffleOpener = new ExecutorShuffleOpener(arguments, secret, workDirectory,
                ExecutorBackend.class.getClassLoader());
        this.taskStart = new TaskExecutorStart(arguments, workDirectory, channels, shuffleOpener, driver);
    }

    /**
     * Starts an executor: begins connecting to ZooKeeper and opens the stream to the driver, sending
     * {@code RegisterExecutor}; returns at once. Failures to reach either are not thrown: they stop
     * the executor with {@value #EXIT_FAILURE} (see {@link #exitCode()}).
     *
     * @param secret {@code ember.auth.secret}: signs calls to the driver and authenticates to
     *     ZooKeeper; empty for none
     */
    public static ExecutorBackend start(ExecutorArguments arguments, Optional<String> secret) {
        return start(arguments, secret, Path.of("").toAbsolutePath());
    }

    /**
     * As {@link #start(ExecutorArguments, Optional)}, with the work directory (the application's
     * JARs go to its {@code jars/}) named instead of being the current directory.
     */
    static ExecutorBackend start(ExecutorArguments arguments, Optional<String> secret, Path workDirectory) {
        ExecutorBackend backend = new ExecutorBackend(arguments, secret, workDirectory);
        backend.begin();
        return backend;
    }

    private void begin() {
        registryNode.connect();
        driver.start(channels.channel(arguments.driverAddress()), new Inbound());
        driver.register(arguments, pid);
    }

    @Override
    public ExecutorInfo info() {
        return info;
    }

    /** Tasks launched here that have not ended: running, and waiting for a free core. */
    @Override
    public int activeTasks() {
        TaskExecutor running = tasks;
        return running == null ? 0 : running.activeTasks();
    }

    /** The arguments this executor started with. */
    public ExecutorArguments arguments() {
        return arguments;
    }

    /**
     * Completes with the exit code ({@value #EXIT_CLEAN} or {@value #EXIT_FAILURE}) once the
     * executor has stopped and cleaned up. Each call returns a new future.
     */
    public CompletableFuture<Integer> exitCode() {
        return exit.copy();
    }

    /** Waits until the executor has stopped; returns its exit code. */
    public int awaitExit() {
        return exit.join();
    }

    /**
     * Stops the executor, if it has not stopped, and waits until it has cleaned up (the stream
     * ended, the registry node removed, the ZooKeeper session closed). Idempotent.
     */
    @Override
    public void close() {
        stop(EXIT_CLEAN, false, "Executor " + arguments.executorId() + " of application " + arguments.appId()
                + " stopping");
        exit.join();
    }

    @Override
    public String toString() {
        return "ExecutorBackend[executor " + arguments.executorId() + " of " + arguments.appId() + ", driver "
                + arguments.driverAddress() + ", " + state.get() + "]";
    }

    // ---- The driver's messages (on the inbound thread) ---------------------------------------

    private final class Inbound implements DriverConnection.Listener {

        @Override
        public void registered(RegistrationAnswer answer) {
            ExecutorBackend.this.registered(answer);
        }

        @Override
        public void shutdown(String reason) {
            stop(EXIT_CLEAN, false, "Driver at " + arguments.driverAddress() + " shut down executor "
                    + arguments.executorId() + (reason.isBlank() ? "" : " (" + reason.strip() + ")") + "; exiting");
        }

        @Override
        public void taskCommand(String kind, Consumer<TaskExecutor> command) {
            TaskExecutor running = tasks;
            if (running != null) {
                command.accept(running);
            } else {
                log().debug("Ignoring a message of kind {} from the driver at {}: not registered", kind,
                        arguments.driverAddress());
            }
        }

        @Override
        public void ignored(String kind) {
            log().debug("Ignoring a message of kind {} from the driver at {}", kind, arguments.driverAddress());
        }

        @Override
        public void onEnd(Status status) {
            if (state.get() == State.STOPPING) {
                return;
            }
            if (status.isOk()) {
                stop(EXIT_CLEAN, false, "Driver at " + arguments.driverAddress() + " went away (it ended the stream); "
                        + "exiting");
            } else if (state.get() == State.CONNECTING) {
                stop(EXIT_FAILURE, true, "Cannot register executor " + arguments.executorId() + " with its driver: "
                        + RpcErrors.describe("driver", arguments.driverAddress(), status.asRuntimeException())
                        + "; exiting");
            } else {
                stop(EXIT_FAILURE, true, "Driver at " + arguments.driverAddress() + " went away ("
                        + why(status) + "); exiting");
            }
        }
    }

    private void registered(RegistrationAnswer registered) {
        if (!state.compareAndSet(State.CONNECTING, State.REGISTERED)) {
            log().debug("Ignoring a repeated registration answer from the driver at {}", arguments.driverAddress());
            return;
        }
        if (!registered.appId().isEmpty() && !registered.appId().equals(arguments.appId())) {
            stop(EXIT_FAILURE, true, "Driver at " + arguments.driverAddress() + " serves application "
                    + registered.appId() + ", not " + arguments.appId() + "; exiting");
            return;
        }
        long interval = registered.heartbeatIntervalMillis() > 0
                ? Math.max(MIN_HEARTBEAT_MILLIS, registered.heartbeatIntervalMillis())
                : DEFAULT_HEARTBEAT_INTERVAL.toMillis();
        if (heartbeats.scheduleAtFixedRate(this::heartbeat, Duration.ofMillis(interval), Duration.ofMillis(interval))
                .isEmpty()) {
            return;   // stopped meanwhile (ZooKeeper failed, say)
        }
        log().info("Executor {} of application {} registered with its driver at {} ({} ms after start{}); "
                        + "heartbeat every {} ms", arguments.executorId(), arguments.appId(),
                arguments.driverAddress(), (System.nanoTime() - startNanos) / 1_000_000, sinceJvmStart(), interval);
        registryNode.register();
        startTasks(registered);
    }

    // ---- Tasks (on the inbound thread) -------------------------------------------------------

    /** Fetches the application's JARs and starts the task executor; a failure stops the executor. */
    private void startTasks(RegistrationAnswer registered) {
        TaskExecutorStart.Started started;
        try {
            started = taskStart.start(registered);
        } catch (TaskExecutorStart.Failure e) {
            stop(EXIT_FAILURE, true, e.getMessage());
            return;
        }
        applicationJars = started.applicationJars();
        tasks = started.executor();
        if (state.get() == State.STOPPING) {   // stopped meanwhile: cleanUp may have missed them
            started.executor().close();
            closeApplicationJars();
        }
    }

    private void heartbeat() {
        try {
            Runtime runtime = Runtime.getRuntime();
            driver.heartbeat(new ExecutorHeartbeat(System.currentTimeMillis(), activeTasks(),
                    runtime.totalMemory() - runtime.freeMemory(), storageUsedBytes()));
        } catch (RuntimeException e) {   // keep the schedule alive
            log().debug("Could not send a heartbeat to the driver at {}", arguments.driverAddress(), e);
        }
    }

    private long storageUsedBytes() {
        TaskExecutor running = tasks;
        return running == null ? 0 : running.blocks().usedBytes();
    }

    // ---- Stopping ----------------------------------------------------------------------------

    /** Stops once: logs the line, then cleans up on a thread of its own and completes the exit code. */
    private void stop(int code, boolean warn, String line) {
        if (state.getAndSet(State.STOPPING) == State.STOPPING) {
            return;
        }
        if (warn) {
            log().warn(line);
        } else {
            log().info(line);
        }
        Threads.startDaemon("ember-executor-stop", () -> {
            try {
                cleanUp();
            } catch (RuntimeException | Error e) {
                log().warn("Executor {} did not stop cleanly: {}", arguments.executorId(), e.toString());
            } finally {
                exit.complete(code);
            }
        });
    }

    private void cleanUp() {
        heartbeats.shutdownNow(Duration.ZERO);
        TaskExecutor running = tasks;
        if (running != null) {
            running.close();
        }
        shuffleOpener.close();
        driver.close();
        // Runs after a connection attempt still in progress, so a late client is closed too.
        registryNode.close(CLEANUP_WAIT);
        channels.close();
        driver.shutdownInbound();
        closeApplicationJars();
    }

    private void closeApplicationJars() {
        URLClassLoader jars = applicationJars;
        if (jars != null) {
            try {
                jars.close();
            } catch (IOException e) {
                log().debug("Could not close the application's class loader", e);
            }
        }
    }

    // ---- Helpers -----------------------------------------------------------------------------

    /** What broke the stream, in an operator's words: "dropped the connection (connection reset)". */
    private String why(Status status) {
        String line = RpcErrors.describe("driver", arguments.driverAddress(), status.asRuntimeException());
        String prefix = "driver at " + arguments.driverAddress() + " ";
        return line.startsWith(prefix) ? line.substring(prefix.length()) : line;
    }

    private static String sinceJvmStart() {
        Optional<Instant> started = ProcessHandle.current().info().startInstant();
        return started.map(s -> ", " + Duration.between(s, Instant.now()).toMillis() + " ms after the JVM started")
                .orElse("");
    }
}
