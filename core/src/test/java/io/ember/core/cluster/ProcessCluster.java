package io.ember.core.cluster;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.cli.EmberCli;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.EmberContext;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.rpc.proto.StoredExecutor;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import io.ember.core.worker.ExecutorCommand;
import io.ember.core.worker.WorkerOptions;
import io.ember.core.worker.WorkerServer;
import io.ember.core.worker.WorkerShuffle;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * A cluster of real parts for the fault tests: an embedded ZooKeeper in the test JVM, masters as
 * real processes ({@code ember master}, each on a port chosen here so its address names its
 * process), workers in the test JVM (their executors, real JVMs, are children of the test JVM) and
 * drivers in the test JVM. With a secret, every part gets it: masters through
 * {@code EMBER_AUTH_SECRET} (never on a command line), workers, executors (from their worker),
 * drivers and this fixture's own ZooKeeper and gRPC clients.
 *
 * <p>{@link #close()} stops everything it started, in reverse order, and kills the master
 * processes by PID, so nothing outlives a failing test.
 */
final class ProcessCluster implements AutoCloseable {

    static final String CLUSTER = "faults";
    /**
     * The masters' ZooKeeper session timeout: a killed leader is noticed this fast (the embedded
     * server's tick is 200 ms, so it is allowed). Everything in the test JVM, and the executors
     * (they take their worker's), keep the default, so a stall of a loaded machine does not expire
     * them by accident.
     */
    static final Duration MASTER_SESSION_TIMEOUT = Duration.ofSeconds(2);
    static final String EXECUTOR_MEMORY = "128m";

    private static final long EXECUTOR_MEMORY_BYTES = 128L << 20;
    private static final long WORKER_MEMORY_BYTES = 1L << 30;

    private final Path dir;
    private final Optional<String> secret;
    private final ClusterPaths paths = new ClusterPaths(CLUSTER);
    private final EmbeddedZooKeeper zooKeeper;
    private final JavaProcesses processes;
    private final CuratorFramework client;
    private final RpcChannels channels;
    private final Map<String, JavaProcesses.Started> masters = new LinkedHashMap<>();
    private final List<WorkerServer> workers = new ArrayList<>();
    /** The plugin environments of workers started with settings; closed after the workers. */
    private final List<AutoCloseable> environments = new ArrayList<>();
    private final List<EmberContext> contexts = new ArrayList<>();

    private ProcessCluster(Path dir, Optional<String> secret, EmbeddedZooKeeper zooKeeper, CuratorFramework client) {
        this.dir = dir;
        this.secret = secret;
        this.zooKeeper = zooKeeper;
        this.client = client;
        this.processes = new JavaProcesses(dir.resolve("logs"));
        this.channels = new RpcChannels("fault-test-client", secret);
    }

    /** Starts the embedded ZooKeeper; masters and workers come from {@link #startMasters} and {@link #startWorker}. */
    static ProcessCluster start(Path dir, Optional<String> secret) {
        requireNonNull(dir, "dir is null");
        requireNonNull(secret, "secret is null");
        EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
        try {
            CuratorFramework client = ZooKeeperClients.connect(zooKeeperSettings(zooKeeper.connectString(), secret));
            return new ProcessCluster(dir, secret, zooKeeper, client);
        } catch (RuntimeException e) {
            zooKeeper.close();
            throw e;
        }
    }

    // ---- masters -------------------------------------------------------------------------------

    /**
     * Starts {@code count} master processes at once, each on its own free port.
     *
     * @return their addresses ({@code 127.0.0.1:port}), as they will appear in {@link LeaderInfo}
     */
    List<String> startMasters(int count) throws IOException {
        return startMasters(count, Map.of());
    }

    /**
     * Starts {@code count} master processes at once, each on its own free port, each also given
     * {@code settings} (as {@code --conf key=value}), e.g. {@code ember.scheduler=fair} and its
     * queues. The bundled scheduler plugins are on the test class path, so a master finds them as
     * built-in plugins.
     *
     * @return their addresses ({@code 127.0.0.1:port}), as they will appear in {@link LeaderInfo}
     */
    List<String> startMasters(int count, Map<String, String> settings) throws IOException {
        requireNonNull(settings, "settings is null");
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = freePort();
            String address = "127.0.0.1:" + port;
            Map<String, String> environment = secret.map(s -> Map.of("EMBER_AUTH_SECRET", s)).orElse(Map.of());
            List<String> arguments = new ArrayList<>(List.of("master",
                    "--conf", "ember.zookeeper.connect=" + zooKeeper.connectString(),
                    "--conf", "ember.cluster=" + CLUSTER,
                    "--conf", "ember.host=127.0.0.1",
                    "--conf", "ember.master.port=" + port,
                    "--conf", "ember.zookeeper.sessionTimeout=" + Durations.format(MASTER_SESSION_TIMEOUT)));
            settings.forEach((key, value) -> arguments.addAll(List.of("--conf", key + "=" + value)));
            JavaProcesses.Started process = processes.start("master-" + port, EmberCli.class.getName(), List.of(),
                    environment, arguments.toArray(String[]::new));
            synchronized (masters) {
                masters.put(address, process);
            }
            addresses.add(address);
        }
        return addresses;
    }

    /** The master process listening at {@code address}. */
    JavaProcesses.Started masterAt(String address) {
        synchronized (masters) {
            JavaProcesses.Started process = masters.get(address);
            if (process == null) {
                throw new AssertionError("no master of this test listens at " + address + "; masters: " + masters.keySet());
            }
            return process;
        }
    }

    /** The leader named in ZooKeeper now, if any. */
    Optional<LeaderInfo> leader() {
        try {
            return Optional.of(LeaderInfo.decode(client.getData().forPath(paths.leader())));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new AssertionError("cannot read " + paths.leader(), e);
        }
    }

    /**
     * Waits for a leader whose epoch is above {@code epochAbove} that answers {@code DescribeCluster}
     * (so it has taken over, not only won the election), and returns it.
     */
    LeaderInfo awaitLeaderAbove(long epochAbove) {
        try {
            return Eventually.awaitValue("a serving leader with an epoch above " + epochAbove,
                    () -> leader().filter(l -> l.epoch() > epochAbove).filter(l -> tryDescribe(l.address()).isPresent())
                            .orElse(null));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the masters said:" + mastersOutput(), e);
        }
    }

    /** {@code DescribeCluster} on the master at {@code address}, with this cluster's secret. */
    ClusterDescription describe(String address) {
        return describe(address, channels);
    }

    static ClusterDescription describe(String address, RpcChannels channels) {
        return MasterServiceGrpc.newBlockingStub(channels.channel(address)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .describeCluster(DescribeClusterRequest.getDefaultInstance());
    }

    private Optional<ClusterDescription> tryDescribe(String address) {
        try {
            return Optional.of(describe(address));
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    /** Every master's output so far, for an assertion message. */
    String mastersOutput() {
        StringBuilder text = new StringBuilder();
        synchronized (masters) {
            for (JavaProcesses.Started master : masters.values()) {
                text.append("\n---- ").append(master.name()).append(" (pid ").append(master.pid()).append(")\n")
                        .append(master.output());
            }
        }
        return text.toString();
    }

    // ---- workers and applications ----------------------------------------------------------------

    /**
     * Starts a worker in this JVM offering {@code cores} cores and 1g for 128m executors, with the
     * default ZooKeeper session timeout (its executors get the same).
     */
    WorkerServer startWorker(String workerId, int cores) {
        WorkerOptions options = new WorkerOptions(CLUSTER, zooKeeperSettings(zooKeeper.connectString(), secret),
                "127.0.0.1", 0, Optional.of(workerId), cores, WORKER_MEMORY_BYTES, dir.resolve("work-" + workerId),
                false, Duration.ofSeconds(10), ExecutorCommand.currentJava(), ExecutorCommand.currentClassPath(),
                List.of(), EXECUTOR_MEMORY_BYTES, 1);
        WorkerServer worker = WorkerServer.start(options);
        synchronized (workers) {
            workers.add(worker);
        }
        return worker;
    }

    /**
     * Starts a worker in this JVM like {@link #startWorker(String, int)}, but keeping its executors'
     * work directories after their application ends, and with the shuffle side that the worker
     * configuration {@code settings} selects ({@code ember.shuffle.service.*}), from the plugins on
     * the test class path, as {@code ember worker} would.
     */
    WorkerServer startWorker(String workerId, int cores, Map<String, String> settings) {
        EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(), Map.of(),
                Map.of(), settings)).load();
        try {
            WorkerOptions options = new WorkerOptions(CLUSTER, zooKeeperSettings(zooKeeper.connectString(), secret),
                    "127.0.0.1", 0, Optional.of(workerId), cores, WORKER_MEMORY_BYTES, workDir(workerId), true,
                    Duration.ofSeconds(10), ExecutorCommand.currentJava(), ExecutorCommand.currentClassPath(),
                    List.of(), EXECUTOR_MEMORY_BYTES, 1);
            WorkerServer worker = WorkerServer.start(options, WorkerShuffle.from(environment));
            synchronized (workers) {
                workers.add(worker);
                environments.add(environment);
            }
            return worker;
        } catch (RuntimeException e) {
            environment.close();
            throw e;
        }
    }

    /** The work directory of a worker started here. */
    Path workDir(String workerId) {
        return dir.resolve("work-" + workerId);
    }

    /** The settings of an application of this cluster wanting {@code executors} 128m executors. */
    Map<String, String> applicationSettings(String name, int executors) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ember.master", masterUrl());
        settings.put("ember.app.name", name);
        settings.put("ember.executor.instances", Integer.toString(executors));
        settings.put("ember.executor.memory", EXECUTOR_MEMORY);
        secret.ifPresent(s -> settings.put("ember.auth.secret", s));
        return settings;
    }

    /** Starts a driver in this JVM (closed by {@link #close()} if the test does not). */
    EmberContext startApplication(Map<String, String> settings) {
        EmberContext context = EmberContext.builder().isolated().setAll(settings).build();
        synchronized (contexts) {
            contexts.add(context);
        }
        return context;
    }

    String masterUrl() {
        return "ember://" + zooKeeper.connectString() + "/" + CLUSTER;
    }

    String zookeeperConnect() {
        return zooKeeper.connectString();
    }

    ClusterPaths paths() {
        return paths;
    }

    /** A ZooKeeper client with the cluster's secret, owned by this fixture. */
    CuratorFramework zooKeeper() {
        return client;
    }

    /** The application's executors as the registry records them: executor id to pid. */
    Map<String, Long> registeredPids(String appId) {
        Map<String, Long> pids = new TreeMap<>();
        for (String executorId : children(paths.executors(appId))) {
            try {
                pids.put(executorId, StoredExecutor.parseFrom(client.getData().forPath(paths.executor(appId, executorId)))
                        .getPid());
            } catch (KeeperException.NoNodeException e) {
                // gone between the listing and the read
            } catch (Exception e) {
                throw new AssertionError("cannot read executor " + executorId + " of " + appId, e);
            }
        }
        return pids;
    }

    List<String> children(String path) {
        try {
            return client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new AssertionError("cannot list " + path, e);
        }
    }

    static Set<String> executorIds(ClusterDescription description, String appId) {
        return description.getExecutorsList().stream().map(ExecutorState::getSpec)
                .filter(spec -> spec.getAppId().equals(appId))
                .map(ExecutorSpec::getExecutorId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Closes the drivers, the workers (stopping their executors), kills the master processes,
     * then stops ZooKeeper. Idempotent enough for an {@code @AfterEach}: every part closes once.
     */
    @Override
    public void close() {
        List<AutoCloseable> steps = new ArrayList<>();
        synchronized (contexts) {
            steps.addAll(newestFirst(contexts));
            contexts.clear();
        }
        synchronized (workers) {
            steps.addAll(newestFirst(workers));
            workers.clear();
            steps.addAll(environments);
            environments.clear();
        }
        steps.add(processes);
        steps.add(channels);
        steps.add(client);
        steps.add(zooKeeper);
        RuntimeException failure = null;
        for (AutoCloseable step : steps) {
            try {
                step.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cleaning up the cluster failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static <T> List<T> newestFirst(List<T> started) {
        List<T> copy = new ArrayList<>(started);
        Collections.reverse(copy);
        return copy;
    }

    private static ZooKeeperSettings zooKeeperSettings(String connect, Optional<String> secret) {
        ZooKeeperSettings settings = ZooKeeperSettings.of(connect);
        return secret.map(settings::withSecret).orElse(settings);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
