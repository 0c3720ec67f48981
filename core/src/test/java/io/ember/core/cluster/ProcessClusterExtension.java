package io.ember.core.cluster;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.Durations;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.cli.EmberCli;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.ServerAddress;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.EmberContext;
import io.ember.core.files.FileTrees;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.RpcLimits;
import io.ember.core.rpc.proto.ClusterDescription;
import io.ember.core.rpc.proto.DescribeClusterRequest;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.ExecutorState;
import io.ember.core.rpc.proto.MasterServiceGrpc;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.JavaProcesses;
import io.ember.core.testing.RegistryReader;
import io.ember.core.web.WebUiPort;
import io.ember.core.worker.ExecutorCommand;
import io.ember.core.worker.WorkerOptions;
import io.ember.core.worker.WorkerServer;
import io.ember.core.worker.WorkerShuffle;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one fixture of the cluster tests: a cluster of real parts, started before a test and stopped
 * after it. An embedded ZooKeeper in the test JVM, masters as real processes ({@code ember master},
 * each on a port chosen here so its address names its process), workers in the test JVM (their
 * executors, real JVMs, are children of the test JVM) and drivers in the test JVM. With a secret,
 * every part gets it: masters through {@code EMBER_AUTH_SECRET} (never on a command line), workers,
 * executors (from their worker), drivers and this fixture's own ZooKeeper and gRPC clients.
 *
 * <p>Register it as a JUnit 5 extension, saying what the tests need before they start:
 *
 * <pre>{@code
 * @RegisterExtension
 * final ProcessClusterExtension cluster = ProcessClusterExtension.withMasters(1).withWorkers(2, 2);
 * }</pre>
 *
 * On an instance field every test gets a cluster of its own; on a static field one cluster serves
 * the whole class (started before its {@code @BeforeAll} methods, stopped after its
 * {@code @AfterAll} methods). Whatever a test varies itself (masters with other settings, workers
 * started later or with shuffle settings, applications) it starts through the fixture
 * ({@link #startMasters}, {@link #startWorker}, {@link #startApplication}), and the fixture stops
 * it too. The fixture owns a temporary directory (ZooKeeper's data, the masters' logs, the workers'
 * work directories, and {@link #newDirectory} for the tests), deleted once the cluster is stopped.
 *
 * <p>Stopping closes everything in reverse order, whether the test passed or failed: drivers,
 * workers (which stop their executors), then kills the master processes by PID, kills by PID any
 * executor process the registry listed that outlived its worker, and stops ZooKeeper last.
 *
 * <p>The queries the tests share (the leader, a master's view of the cluster, the registry's
 * executors and their PIDs, cores per application) live here, once.
 */
final class ProcessClusterExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {

    static final String CLUSTER = "faults";
    /**
     * The masters' ZooKeeper session timeout: a killed leader is noticed this fast (the embedded
     * server's tick is 200 ms, so it is allowed). Everything in the test JVM, and the executors
     * (they take their worker's), keep the default, so a stall of a loaded machine does not expire
     * them by accident.
     */
    static final Duration MASTER_SESSION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MASTER_START = Duration.ofSeconds(60);
    /**
     * What a master says once its RPC server listens: "... listening on 127.0.0.1:port; web UI at
     * http://127.0.0.1:port; ZooKeeper at ..." (or "no web UI").
     */
    private static final Pattern LISTENING = Pattern.compile(" listening on (127\\.0\\.0\\.1:\\d+); "
            + "(?:web UI at (http://127\\.0\\.0\\.1:\\d+)|no web UI);");
    private static final int WEB_PORTS_FROM = 20_000;
    private static final int WEB_PORTS_TO = 50_000;
    private static final int WEB_PORT_RETRIES = 200;
    static final String EXECUTOR_MEMORY = "128m";
    /** Master settings for the fair scheduler with two queues, {@code a} and {@code b}, of weight 1. */
    static final Map<String, String> FAIR_QUEUES_A_AND_B = Map.of(
            "ember.scheduler", "fair",
            "ember.scheduler.fair.queue.a.weight", "1",
            "ember.scheduler.fair.queue.b.weight", "1");

    private static final long EXECUTOR_MEMORY_BYTES = 128L << 20;
    /** How much of each master's log a failed test prints. */
    private static final int MASTER_LOG_LINES = 300;
    private static final long WORKER_MEMORY_BYTES = 1L << 30;

    private enum State { LATENT, STARTED, CLOSED }

    /** Whether JUnit started this cluster for one test or for the whole class: it stops it at the same level. */
    private enum Scope { TEST, CLASS }

    // what the tests asked for before the start
    private final Optional<String> secret;
    private final int initialMasters;
    private final Map<String, String> masterSettings;
    private final int initialWorkers;
    private final int workerCores;
    /** The chroot every process's ZooKeeper connect string names, such as {@code /apps/ember}; empty for none. */
    private final String chroot;
    /** Whether masters and workers serve their web UIs (each on a port of its own, found from a random start). */
    private final boolean webUis;

    private final ClusterPaths paths = new ClusterPaths(CLUSTER);
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private volatile Scope scope;
    private volatile Parts parts;
    private final Map<String, JavaProcesses.Started> masters = new LinkedHashMap<>();
    /** The masters' web UIs by their addresses; guarded by {@link #masters}. */
    private final Map<String, String> masterUiUrls = new LinkedHashMap<>();
    private final AtomicInteger mastersStarted = new AtomicInteger();
    private final Map<String, WorkerServer> workers = new LinkedHashMap<>();
    /** The plugin environments of workers started with settings; closed after the workers. */
    private final List<AutoCloseable> environments = new ArrayList<>();
    private final List<EmberContext> contexts = new ArrayList<>();

    /** What a started cluster holds from its start to its end. */
    private record Parts(Path dir, EmbeddedZooKeeper zooKeeper, CuratorFramework client, RegistryReader registry,
                         RpcChannels channels, JavaProcesses processes) {
    }

    private ProcessClusterExtension(Optional<String> secret, int masters, Map<String, String> masterSettings,
                                    int workers, int workerCores, String chroot, boolean webUis) {
        this.secret = requireNonNull(secret, "secret is null");
        this.initialMasters = masters;
        this.masterSettings = Map.copyOf(requireNonNull(masterSettings, "masterSettings is null"));
        this.initialWorkers = workers;
        this.workerCores = workerCores;
        this.chroot = requireNonNull(chroot, "chroot is null");
        this.webUis = webUis;
    }

    // ---- what the tests ask for ----------------------------------------------------------------

    /** ZooKeeper alone: the tests start masters and workers themselves. */
    static ProcessClusterExtension zooKeeperOnly() {
        return new ProcessClusterExtension(Optional.empty(), 0, Map.of(), 0, 0, "", false);
    }

    /** {@code count} master processes, started at once (the tests wait for the leader they need). */
    static ProcessClusterExtension withMasters(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("masters must be >= 1: " + count + " (zooKeeperOnly() starts none)");
        }
        return new ProcessClusterExtension(Optional.empty(), count, Map.of(), 0, 0, "", false);
    }

    /** The same, each master also given {@code settings} (as {@code --conf key=value}). */
    ProcessClusterExtension withMasterSettings(Map<String, String> settings) {
        requireNonNull(settings, "settings is null");
        if (initialMasters == 0) {
            throw new IllegalArgumentException("master settings " + settings + " but no masters to start: "
                    + "withMasters(n), or pass them to startMasters");
        }
        return new ProcessClusterExtension(secret, initialMasters, settings, initialWorkers, workerCores, chroot,
                webUis);
    }

    /**
     * Also {@code count} workers ({@code worker-1} to {@code worker-<count>}) of {@code cores} cores
     * each, started after the masters (see {@link #startWorker(String, int)}).
     */
    ProcessClusterExtension withWorkers(int count, int cores) {
        if (count < 1) {
            throw new IllegalArgumentException("workers must be >= 1: " + count);
        }
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1: " + cores);
        }
        return new ProcessClusterExtension(secret, initialMasters, masterSettings, count, cores, chroot, webUis);
    }

    /** Every part of the cluster, and the fixture's own clients, with {@code ember.auth.secret}. */
    ProcessClusterExtension withSecret(String secret) {
        requireNonNull(secret, "secret is null");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("secret is blank");
        }
        return new ProcessClusterExtension(Optional.of(secret), initialMasters, masterSettings, initialWorkers,
                workerCores, chroot, webUis);
    }

    /** Every process's ZooKeeper connect string with this chroot, such as {@code /apps/ember}. */
    ProcessClusterExtension withChroot(String chroot) {
        return new ProcessClusterExtension(secret, initialMasters, masterSettings, initialWorkers, workerCores,
                requireNonNull(chroot, "chroot is null"), webUis);
    }

    /**
     * Masters and workers with their web UIs: each tries ports from a random one in
     * {@value #WEB_PORTS_FROM}..{@value #WEB_PORTS_TO} on, so the test JVMs' processes do not contend for
     * 8080. Without this every web UI is off, as most tests do not look.
     */
    ProcessClusterExtension withWebUis() {
        return new ProcessClusterExtension(secret, initialMasters, masterSettings, initialWorkers, workerCores, chroot,
                true);
    }

    // ---- the lifecycle JUnit drives --------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        start(Scope.CLASS);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (state.get() == State.LATENT) {
            start(Scope.TEST);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            printMasterLogs();
        }
        if (scope == Scope.TEST) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (scope == Scope.CLASS) {
            close();
        }
    }

    /** After a failure: the masters run in processes of their own, so their logs go with the test's output. */
    private void printMasterLogs() {
        List<JavaProcesses.Started> started;
        synchronized (masters) {
            started = List.copyOf(masters.values());
        }
        for (JavaProcesses.Started master : started) {
            List<String> lines = master.output().lines().toList();
            System.out.printf("---- the last %d line(s) of %s's log ----%n", Math.min(lines.size(), MASTER_LOG_LINES),
                    master.name());
            lines.subList(Math.max(0, lines.size() - MASTER_LOG_LINES), lines.size()).forEach(System.out::println);
        }
    }

    private void start(Scope scope) throws IOException {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the cluster was already started (" + state.get() + ")");
        }
        this.scope = scope;
        Path dir = Files.createTempDirectory("ember-cluster-");
        // from here on, close() stops whatever has started and deletes the directory
        EmbeddedZooKeeper zooKeeper;
        try {
            zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
        } catch (RuntimeException | Error e) {
            deleteRecursively(dir, e);
            throw e;
        }
        CuratorFramework client;
        try {
            client = ZooKeeperClients.connect(zooKeeperSettings(zooKeeper.connectString() + chroot));
        } catch (RuntimeException | Error e) {
            closeQuietly(zooKeeper, e);
            deleteRecursively(dir, e);
            throw e;
        }
        parts = new Parts(dir, zooKeeper, client, new RegistryReader(client, paths),
                new RpcChannels("fault-test-client", secret), new JavaProcesses(dir.resolve("logs")));
        try {
            if (initialMasters > 0) {
                startMasters(initialMasters, masterSettings);
            }
            for (int i = 1; i <= initialWorkers; i++) {
                startWorker("worker-" + i, workerCores);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private Parts parts() {
        Parts started = parts;
        if (state.get() == State.CLOSED) {
            throw new IllegalStateException("the cluster is closed");
        }
        if (started == null) {
            throw new IllegalStateException("the cluster has not started: register ProcessClusterExtension with "
                    + "@RegisterExtension and use it in a test or a @BeforeEach/@BeforeAll method");
        }
        return started;
    }

    /** A new directory inside the fixture's temporary directory (deleted with it). */
    Path newDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(parts().dir(), requireNonNull(prefix, "prefix is null"));
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
        Parts parts = parts();
        List<JavaProcesses.Started> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, String> environment = secret.map(s -> Map.of("EMBER_AUTH_SECRET", s)).orElse(Map.of());
            // Port 0: the master takes a port the kernel gives it. A port chosen here and handed over
            // could be taken in between by another test JVM's connection (seen in CI with two forks).
            List<String> arguments = new ArrayList<>(List.of("master",
                    "--conf", "ember.zookeeper.connect=" + parts.zooKeeper().connectString() + chroot,
                    "--conf", "ember.cluster=" + CLUSTER,
                    "--conf", "ember.host=127.0.0.1",
                    "--conf", "ember.master.port=0",
                    "--conf", "ember.zookeeper.sessionTimeout=" + Durations.format(MASTER_SESSION_TIMEOUT)));
            arguments.addAll(List.of("--conf", "ember.master.ui.port=" + (webUis ? randomWebPort() : 0),
                    "--conf", "ember.ui.portRetries=" + WEB_PORT_RETRIES));
            settings.forEach((key, value) -> arguments.addAll(List.of("--conf", key + "=" + value)));
            started.add(parts.processes().start("master-" + mastersStarted.incrementAndGet(),
                    EmberCli.class.getName(), List.of(), environment, arguments.toArray(String[]::new)));
        }
        List<String> addresses = new ArrayList<>();
        for (JavaProcesses.Started process : started) {
            Matcher listening = listening(process);
            String address = listening.group(1);
            synchronized (masters) {
                masters.put(address, process);
                if (listening.group(2) != null) {
                    masterUiUrls.put(address, listening.group(2));
                }
            }
            addresses.add(address);
        }
        return addresses;
    }

    /** A port to start a web UI's search for a free one from. */
    private static int randomWebPort() {
        return ThreadLocalRandom.current().nextInt(WEB_PORTS_FROM, WEB_PORTS_TO);
    }

    /** The web UI of the master listening at {@code address}, as it said at its start. */
    String masterUiUrl(String address) {
        synchronized (masters) {
            String url = masterUiUrls.get(address);
            if (url == null) {
                throw new AssertionError("the master at " + address + " serves no web UI (withWebUis()?); masters: "
                        + masters.keySet());
            }
            return url;
        }
    }

    /** The start line of a master process, once it has said where it listens. */
    private static Matcher listening(JavaProcesses.Started process) {
        long deadline = System.nanoTime() + MASTER_START.toNanos();
        while (true) {
            String output = process.output();
            Matcher matcher = LISTENING.matcher(output);
            if (matcher.find()) {
                return matcher;
            }
            if (!process.process().isAlive() || System.nanoTime() - deadline > 0) {
                throw new AssertionError("master " + process.name() + " (pid " + process.pid() + ") did not say where it "
                        + "listens within " + Durations.format(MASTER_START) + "; it said:\n" + output);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The addresses of every master started so far, in the order they were started. */
    List<String> masterAddresses() {
        synchronized (masters) {
            return List.copyOf(masters.keySet());
        }
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
            return Optional.of(LeaderInfo.decode(parts().client().getData().forPath(paths.leader())));
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
        return describe(address, parts().channels());
    }

    /** {@code DescribeCluster} on the master at {@code address}, through {@code channels} (e.g. without the secret). */
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
        WorkerServer worker = WorkerServer.start(workerOptions(workerId, cores, false, RpcLimits.DEFAULTS,
                ServerAddress.of("127.0.0.1")));
        synchronized (workers) {
            workers.put(workerId, worker);
        }
        return worker;
    }

    /**
     * Starts a worker in this JVM like {@link #startWorker(String, int)}, but keeping its executors'
     * work directories after their application ends, and with the shuffle side that the worker
     * configuration {@code settings} selects ({@code ember.shuffle.service.*}), from the plugins on
     * the test class path, as {@code ember worker} would; its RPC server holds to the
     * {@code ember.rpc.*} limits those settings set, and it listens and advertises where
     * {@code ember.worker.bindAddress} and {@code .advertisedAddress} say.
     */
    WorkerServer startWorker(String workerId, int cores, Map<String, String> settings) {
        requireNonNull(settings, "settings is null");
        EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(), Map.of(),
                Map.of(), settings)).load();
        try {
            WorkerOptions options = workerOptions(workerId, cores, true, RpcLimits.from(environment.config()),
                    ServerAddress.from(environment.config(), ServerAddress.Role.WORKER, zookeeperConnect()));
            WorkerServer worker = WorkerServer.start(options, WorkerShuffle.from(environment));
            synchronized (workers) {
                workers.put(workerId, worker);
                environments.add(environment);
            }
            return worker;
        } catch (RuntimeException e) {
            environment.close();
            throw e;
        }
    }

    /** A worker of this cluster at {@code address}, any port, offering 1g for 128m executors, its work directory here. */
    private WorkerOptions workerOptions(String workerId, int cores, boolean keepWorkDirs, RpcLimits rpcLimits,
                                        ServerAddress address) {
        requireNonNull(workerId, "workerId is null");
        return new WorkerOptions(CLUSTER, zooKeeperSettings(zookeeperConnect()), address.bind(), 0, Optional.of(workerId),
                cores, WORKER_MEMORY_BYTES, workDir(workerId), keepWorkDirs, Duration.ofSeconds(10),
                ExecutorCommand.currentJava(), ExecutorCommand.currentClassPath(), List.of(), EXECUTOR_MEMORY_BYTES, 1,
                Optional.of(workDir(workerId).resolve(".class-data")),
                EmberKeys.WORKER_CLEANUP_INTERVAL.defaultValue().orElseThrow(),
                EmberKeys.WORKER_CLEANUP_GRACE.defaultValue().orElseThrow(), rpcLimits, address.advertised(),
                webUis ? WebUiPort.of(randomWebPort(), WEB_PORT_RETRIES) : WebUiPort.OFF);
    }

    /** The worker started here as {@code workerId}. */
    WorkerServer worker(String workerId) {
        synchronized (workers) {
            WorkerServer worker = workers.get(workerId);
            if (worker == null) {
                throw new AssertionError("no worker " + workerId + " in this test; workers: " + workers.keySet());
            }
            return worker;
        }
    }

    /** The work directory of a worker started here. */
    Path workDir(String workerId) {
        return parts().dir().resolve("work-" + workerId);
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

    /** Starts a driver in this JVM (closed with the cluster if the test does not close it). */
    EmberContext startApplication(Map<String, String> settings) {
        requireNonNull(settings, "settings is null");
        parts();   // only while the cluster runs, so that its close() closes the driver
        EmberContext context = EmberContext.builder().isolated().setAll(settings).build();
        synchronized (contexts) {
            contexts.add(context);
        }
        return context;
    }

    String masterUrl() {
        return "ember://" + zookeeperConnect() + "/" + CLUSTER;
    }

    /** The processes' ZooKeeper connect string, with the chroot if there is one. */
    String zookeeperConnect() {
        return parts().zooKeeper().connectString() + chroot;
    }

    /** Stops the cluster's ZooKeeper server, keeping its port and data: an outage of the ensemble. */
    void stopZooKeeper() {
        parts().zooKeeper().stop();
    }

    /** Starts the cluster's ZooKeeper server again after {@link #stopZooKeeper()}, on the same port and data. */
    void restartZooKeeper() {
        parts().zooKeeper().restart();
    }

    ClusterPaths paths() {
        return paths;
    }

    // ---- what the registry and the masters say ------------------------------------------------------

    /** The application's executors as the registry records them: executor id to pid. */
    Map<String, Long> registeredPids(String appId) {
        return parts().registry().registeredPids(appId);
    }

    /** Waits until the registry lists exactly {@code count} executors of the application, and returns them (id to pid). */
    Map<String, Long> awaitRegisteredPids(String appId, int count) {
        AtomicReference<Map<String, Long>> seen = new AtomicReference<>(Map.of());
        Eventually.await(() -> {
            seen.set(registeredPids(appId));
            return seen.get().size() == count;
        }, () -> count + " executors of " + appId + " in the registry; it lists " + seen.get());
        return seen.get();
    }

    List<String> children(String path) {
        return parts().registry().children(path);
    }

    /** The executors a master's description lists for the application. */
    static Set<String> executorIds(ClusterDescription description, String appId) {
        return description.getExecutorsList().stream().map(ExecutorState::getSpec)
                .filter(spec -> spec.getAppId().equals(appId))
                .map(ExecutorSpec::getExecutorId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The ids of the executors a driver holds, sorted. */
    static Set<String> executorIds(Collection<ExecutorInfo> executors) {
        return executors.stream().map(ExecutorInfo::executorId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Cores a master's description shows placed per application (launching or running). */
    static Map<String, Integer> coresPerApplication(ClusterDescription description) {
        Map<String, Integer> cores = new TreeMap<>();
        for (ExecutorState executor : description.getExecutorsList()) {
            ExecutorSpec spec = executor.getSpec();
            cores.merge(spec.getAppId(), spec.getCores(), Integer::sum);
        }
        return cores;
    }

    // ---- the end ----------------------------------------------------------------------------------

    /**
     * Closes the drivers, the workers (stopping their executors), kills the master processes and
     * any executor process that outlived its worker, by PID, then stops ZooKeeper and deletes the
     * temporary directory. Every part closes once, even when another fails; the first failure is
     * thrown, with the others suppressed. Idempotent.
     */
    void close() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        Parts parts = this.parts;
        if (parts == null) {
            return;   // the start failed before ZooKeeper ran, and cleaned up itself
        }
        RuntimeException failure = null;
        List<ProcessHandle> executors = new ArrayList<>();
        try {
            executors.addAll(executorProcesses(parts.registry()));
        } catch (RuntimeException | AssertionError e) {
            failure = addFailure(failure, e);
        }
        List<AutoCloseable> steps = new ArrayList<>();
        synchronized (contexts) {
            steps.addAll(newestFirst(contexts));
            contexts.clear();
        }
        synchronized (workers) {
            steps.addAll(newestFirst(workers.values()));
            workers.clear();
            steps.addAll(environments);
            environments.clear();
        }
        steps.add(parts.processes());
        steps.add(() -> killOutlived(executors));
        steps.add(parts.channels());
        steps.add(parts.client());
        steps.add(parts.zooKeeper());
        for (AutoCloseable step : steps) {
            try {
                step.close();
            } catch (Exception e) {
                failure = addFailure(failure, e);
            }
        }
        try {
            FileTrees.deleteRecursively(parts.dir());
        } catch (IOException | UncheckedIOException e) {
            failure = addFailure(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The executor processes the registry lists that run now as descendants of this JVM (the
     * workers' children): a handle is bound to its process's start, so killing it later cannot hit
     * another process that has been given the same PID since.
     */
    private List<ProcessHandle> executorProcesses(RegistryReader registry) {
        Set<Long> pids = new TreeSet<>();
        for (String appId : registry.children(paths.apps())) {
            pids.addAll(registry.registeredPids(appId).values());
        }
        if (pids.isEmpty()) {
            return List.of();
        }
        return ProcessHandle.current().descendants().filter(process -> pids.contains(process.pid())).toList();
    }

    /** kill -9 of each of these processes still running, waiting for its exit so it writes no more files. */
    private static void killOutlived(List<ProcessHandle> processes) throws Exception {
        for (ProcessHandle process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static RuntimeException addFailure(RuntimeException failure, Throwable e) {
        if (failure == null) {
            return new IllegalStateException("cleaning up the cluster failed", e);
        }
        failure.addSuppressed(e);
        return failure;
    }

    private static <T> List<T> newestFirst(Collection<T> started) {
        List<T> copy = new ArrayList<>(started);
        Collections.reverse(copy);
        return copy;
    }

    private static void closeQuietly(AutoCloseable closeable, Throwable failure) {
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    private static void deleteRecursively(Path dir, Throwable failure) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException | UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }

    private ZooKeeperSettings zooKeeperSettings(String connect) {
        ZooKeeperSettings settings = ZooKeeperSettings.of(connect);
        return secret.map(settings::withSecret).orElse(settings);
    }
}
