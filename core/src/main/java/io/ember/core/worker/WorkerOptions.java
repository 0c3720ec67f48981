package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.core.config.ServerAddress;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.JavaOptions;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.rpc.RpcLimits;
import io.ember.core.web.WebUiPort;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a worker needs to start ({@link WorkerServer#start}): where it listens, what it offers,
 * where the cluster is, and how it launches executors.
 *
 * <p>What its {@code toString} shows is in the {@code io.ember.core.worker} package documentation.
 *
 * @param cluster {@code ember.cluster}
 * @param zooKeeper {@code ember.zookeeper.*} and {@code ember.auth.secret}: how the worker reaches
 *     ZooKeeper; also what its executors are told (ensemble, session timeout)
 * @param host {@code ember.worker.bindAddress}: the address the worker's RPC server and its
 *     embedded shuffle service listen on
 * @param port {@code ember.worker.port}; 0 for any free port
 * @param workerId the worker's id; empty for {@code worker-<host>-<port>-<random>}
 * @param cores {@code ember.worker.cores}: cores offered to executors
 * @param memoryBytes {@code ember.worker.memory}: memory offered to executors
 * @param workDir {@code ember.worker.workDir}, resolved: the root of the executors' work directories
 * @param keepWorkDirs {@code ember.worker.keepWorkDirs}: keep an application's work directories
 *     when it finishes
 * @param rpcTimeout {@code ember.rpc.timeout}: the deadline of every call to the master
 * @param javaExecutable the {@code java} that runs executors
 * @param classPath the executors' class path
 * @param executorJavaOptions {@code ember.executor.javaOptions}, split
 * @param executorMemoryBytes {@code ember.executor.memory}: an executor's heap when the master's
 *     request names none
 * @param executorCores {@code ember.executor.cores}: an executor's cores when the master's request
 *     names none
 * @param classDataDir where the executors' class-data-sharing archive lives (built by the first
 *     executor, used by the later ones; see {@code ExecutorClassDataArchive}); empty for none, as
 *     where the directory would not outlive the worker (a local cluster's temporary directory)
 * @param cleanupInterval {@code ember.worker.cleanup.interval}: how often the worker removes what
 *     ended applications left in its work directory
 * @param cleanupGrace {@code ember.worker.cleanup.grace}: how long such a directory stays after it
 *     last changed
 * @param rpcLimits {@code ember.rpc.*}: the connection limits of the worker's RPC server
 * @param advertisedHost {@code ember.worker.advertisedAddress}: the address the master and the
 *     executors' peers reach this worker, its shuffle service and its executors at
 * @param ui {@code ember.worker.ui.port} and {@code ember.ui.portRetries}: where its web UI, REST API,
 *     executor logs and {@code /metrics} listen (on {@code host}); {@link WebUiPort#OFF} for none
 */
public record WorkerOptions(
        String cluster,
        ZooKeeperSettings zooKeeper,
        String host,
        int port,
        Optional<String> workerId,
        int cores,
        long memoryBytes,
        Path workDir,
        boolean keepWorkDirs,
        Duration rpcTimeout,
        Path javaExecutable,
        String classPath,
        List<String> executorJavaOptions,
        long executorMemoryBytes,
        int executorCores,
        Optional<Path> classDataDir,
        Duration cleanupInterval,
        Duration cleanupGrace,
        RpcLimits rpcLimits,
        String advertisedHost,
        WebUiPort ui) {

    private static final long GIB = 1L << 30;

    /**
     * Checks every component.
     *
     * @throws IllegalArgumentException naming the offending value
     */
    public WorkerOptions {
        new ClusterPaths(requireNonNull(cluster, "cluster is null"));
        requireNonNull(zooKeeper, "zooKeeper is null");
        requireNonNull(host, "host is null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
        }
        requireNonNull(workerId, "workerId is null");
        workerId.ifPresent(id -> new ClusterPaths(cluster).worker(id));
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1: " + cores);
        }
        if (memoryBytes < 1) {
            throw new IllegalArgumentException("memoryBytes must be >= 1: " + memoryBytes);
        }
        workDir = requireNonNull(workDir, "workDir is null").toAbsolutePath().normalize();
        requireNonNull(rpcTimeout, "rpcTimeout is null");
        if (rpcTimeout.isNegative() || rpcTimeout.isZero()) {
            throw new IllegalArgumentException("rpcTimeout must be > 0: " + rpcTimeout);
        }
        requireNonNull(javaExecutable, "javaExecutable is null");
        requireNonNull(classPath, "classPath is null");
        if (classPath.isBlank()) {
            throw new IllegalArgumentException("classPath must not be blank");
        }
        executorJavaOptions = List.copyOf(requireNonNull(executorJavaOptions, "executorJavaOptions is null"));
        if (executorMemoryBytes < 1) {
            throw new IllegalArgumentException("executorMemoryBytes must be >= 1: " + executorMemoryBytes);
        }
        if (executorCores < 1) {
            throw new IllegalArgumentException("executorCores must be >= 1: " + executorCores);
        }
        requireNonNull(classDataDir, "classDataDir is null");
        requireNonNull(cleanupInterval, "cleanupInterval is null");
        if (cleanupInterval.isNegative() || cleanupInterval.isZero()) {
            throw new IllegalArgumentException("cleanupInterval must be > 0: " + cleanupInterval);
        }
        requireNonNull(cleanupGrace, "cleanupGrace is null");
        if (cleanupGrace.isNegative()) {
            throw new IllegalArgumentException("cleanupGrace must be >= 0: " + cleanupGrace);
        }
        requireNonNull(rpcLimits, "rpcLimits is null");
        requireNonNull(advertisedHost, "advertisedHost is null");
        if (advertisedHost.isBlank()) {
            throw new IllegalArgumentException("advertisedHost must not be blank");
        }
        requireNonNull(ui, "ui is null");
    }

    /** The options without a web UI. */
    public WorkerOptions(String cluster, ZooKeeperSettings zooKeeper, String host, int port, Optional<String> workerId,
                         int cores, long memoryBytes, Path workDir, boolean keepWorkDirs, Duration rpcTimeout,
                         Path javaExecutable, String classPath, List<String> executorJavaOptions,
                         long executorMemoryBytes, int executorCores, Optional<Path> classDataDir,
                         Duration cleanupInterval, Duration cleanupGrace, RpcLimits rpcLimits, String advertisedHost) {
        this(cluster, zooKeeper, host, port, workerId, cores, memoryBytes, workDir, keepWorkDirs, rpcTimeout,
                javaExecutable, classPath, executorJavaOptions, executorMemoryBytes, executorCores, classDataDir,
                cleanupInterval, cleanupGrace, rpcLimits, advertisedHost, WebUiPort.OFF);
    }

    /** The options listening on and advertising {@code host}. */
    public WorkerOptions(String cluster, ZooKeeperSettings zooKeeper, String host, int port, Optional<String> workerId,
                         int cores, long memoryBytes, Path workDir, boolean keepWorkDirs, Duration rpcTimeout,
                         Path javaExecutable, String classPath, List<String> executorJavaOptions,
                         long executorMemoryBytes, int executorCores, Optional<Path> classDataDir,
                         Duration cleanupInterval, Duration cleanupGrace, RpcLimits rpcLimits) {
        this(cluster, zooKeeper, host, port, workerId, cores, memoryBytes, workDir, keepWorkDirs, rpcTimeout,
                javaExecutable, classPath, executorJavaOptions, executorMemoryBytes, executorCores, classDataDir,
                cleanupInterval, cleanupGrace, rpcLimits, host);
    }

    /** The options with the cleanup's default interval and grace and the RPC server's default limits. */
    public WorkerOptions(String cluster, ZooKeeperSettings zooKeeper, String host, int port, Optional<String> workerId,
                         int cores, long memoryBytes, Path workDir, boolean keepWorkDirs, Duration rpcTimeout,
                         Path javaExecutable, String classPath, List<String> executorJavaOptions,
                         long executorMemoryBytes, int executorCores, Optional<Path> classDataDir) {
        this(cluster, zooKeeper, host, port, workerId, cores, memoryBytes, workDir, keepWorkDirs, rpcTimeout,
                javaExecutable, classPath, executorJavaOptions, executorMemoryBytes, executorCores, classDataDir,
                EmberKeys.WORKER_CLEANUP_INTERVAL.defaultValue().orElseThrow(),
                EmberKeys.WORKER_CLEANUP_GRACE.defaultValue().orElseThrow(), RpcLimits.DEFAULTS);
    }

    /**
     * The options a process's configuration gives: {@code ember.cluster}, {@code ember.zookeeper.*},
     * {@code ember.host}, {@code ember.worker.*} (cores default to the available processors, memory
     * to the machine's physical memory minus 1g, at least 1g), {@code ember.auth.secret},
     * {@code ember.rpc.timeout}, {@code ember.rpc.*} limits, {@code ember.executor.memory}, {@code ember.executor.cores} and
     * {@code ember.executor.javaOptions}. Executors run on this JVM's {@code java} and class path.
     *
     * @param base what a relative {@code ember.worker.workDir} resolves against ({@code EMBER_HOME},
     *     say)
     * @throws io.ember.core.coordination.CoordinationException when {@code ember.zookeeper.connect}
     *     is not set
     * @throws IllegalArgumentException when {@code ember.executor.javaOptions} cannot be split
     */
    public static WorkerOptions from(EmberConfig config, Path base) {
        requireNonNull(config, "config is null");
        requireNonNull(base, "base is null");
        Path workDir = base.resolve(config.get(EmberKeys.WORKER_WORK_DIR));
        ZooKeeperSettings zooKeeper = ZooKeeperSettings.from(config);
        ServerAddress address = ServerAddress.from(config, ServerAddress.Role.WORKER, zooKeeper.connectString());
        return new WorkerOptions(
                config.get(EmberKeys.CLUSTER),
                zooKeeper,
                address.bind(),
                config.get(EmberKeys.WORKER_PORT),
                Optional.empty(),
                config.core().find(EmberKeys.WORKER_CORES).orElseGet(() -> Runtime.getRuntime().availableProcessors()),
                config.core().find(EmberKeys.WORKER_MEMORY).orElseGet(WorkerOptions::defaultMemory),
                workDir,
                config.get(EmberKeys.WORKER_KEEP_WORK_DIRS),
                config.get(EmberKeys.RPC_TIMEOUT),
                ExecutorCommand.currentJava(),
                ExecutorCommand.currentClassPath(),
                JavaOptions.split(config.get(EmberKeys.EXECUTOR_JAVA_OPTIONS)),
                config.get(EmberKeys.EXECUTOR_MEMORY),
                config.get(EmberKeys.EXECUTOR_CORES),
                Optional.of(workDir.resolve(".class-data")),
                config.get(EmberKeys.WORKER_CLEANUP_INTERVAL),
                config.get(EmberKeys.WORKER_CLEANUP_GRACE),
                RpcLimits.from(config),
                address.advertised(),
                WebUiPort.from(config, EmberKeys.WORKER_UI_PORT));
    }

    /** {@code ember.auth.secret}, the one in {@link #zooKeeper()}: signs every call; empty for none. */
    public Optional<String> secret() {
        return zooKeeper.secret();
    }

    /** These options with a fixed worker id. */
    public WorkerOptions withWorkerId(String workerId) {
        return new WorkerOptions(cluster, zooKeeper, host, port, Optional.of(workerId), cores, memoryBytes, workDir,
                keepWorkDirs, rpcTimeout, javaExecutable, classPath, executorJavaOptions, executorMemoryBytes,
                executorCores, classDataDir, cleanupInterval, cleanupGrace, rpcLimits, advertisedHost, ui);
    }

    /** These options with another executor class path. */
    public WorkerOptions withClassPath(String classPath) {
        return new WorkerOptions(cluster, zooKeeper, host, port, workerId, cores, memoryBytes, workDir, keepWorkDirs,
                rpcTimeout, javaExecutable, classPath, executorJavaOptions, executorMemoryBytes, executorCores,
                classDataDir, cleanupInterval, cleanupGrace, rpcLimits, advertisedHost, ui);
    }

    /** These options with the web UI on {@code newUi}. */
    public WorkerOptions withUi(WebUiPort newUi) {
        return new WorkerOptions(cluster, zooKeeper, host, port, workerId, cores, memoryBytes, workDir, keepWorkDirs,
                rpcTimeout, javaExecutable, classPath, executorJavaOptions, executorMemoryBytes, executorCores,
                classDataDir, cleanupInterval, cleanupGrace, rpcLimits, advertisedHost, newUi);
    }

    /**
     * The machine's physical memory minus 1g, at least 1g; 1g when the JVM cannot tell.
     */
    static long defaultMemory() {
        long total = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
        }
        return Math.max(GIB, total - GIB);
    }
}
