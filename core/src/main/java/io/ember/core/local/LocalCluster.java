package io.ember.core.local;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.OpenClusterWarning;
import io.ember.core.config.ServerAddress;
import io.ember.core.driver.ClusterHandle;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.files.FileTrees;
import io.ember.core.master.MasterOptions;
import io.ember.core.master.MasterServer;
import io.ember.core.master.Placement;
import io.ember.core.rpc.RpcLimits;
import io.ember.core.web.WebUiPort;
import io.ember.core.worker.ExecutorCommand;
import io.ember.core.worker.WorkerOptions;
import io.ember.core.worker.WorkerServer;
import io.ember.core.worker.WorkerShuffle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole cluster on this machine, for development and the examples ({@code local-cluster[W,C]}):
 * an embedded ZooKeeper, one master and {@code W} workers of {@code C} cores, all inside this JVM;
 * the executors are real JVM processes, exactly as on a real cluster.
 *
 * <p>The embedded ZooKeeper is a single server and dies with this JVM: for production, run masters
 * and workers against an external ensemble of three or five servers.
 *
 * <p>Everything listens on {@code ember.host}, 127.0.0.1 by default, unless a role's
 * {@code bindAddress} and {@code advertisedAddress} say otherwise ({@code ember.zookeeper.*} for the
 * embedded ZooKeeper, {@code ember.master.*}, {@code ember.worker.*}); a local cluster that others
 * can reach from other hosts and has no {@code ember.auth.secret} logs the open-cluster warning.
 */
public final class LocalCluster implements ClusterHandle {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    private final Path baseDir;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<WorkerServer> workers = new ArrayList<>();
    private final String cluster;
    private EmbeddedZooKeeper zooKeeper;
    private MasterServer master;

    private LocalCluster(Path baseDir, String cluster) {
        this.baseDir = requireNonNull(baseDir, "baseDir is null");
        this.cluster = requireNonNull(cluster, "cluster is null");
    }

    /**
     * Starts ZooKeeper, the master and the workers, in a fresh temporary directory that
     * {@link #close()} deletes. First removes the directories that local clusters whose process is
     * gone left behind ({@link LocalClusterDirectories}), in one line.
     *
     * @param policy the scheduler plugin's policy, for the master's application queue
     */
    public static LocalCluster start(int workerCount, int coresPerWorker, EmberConfig config, SchedulingPolicy policy) {
        return start(workerCount, coresPerWorker, config, policy, WorkerShuffle.none());
    }

    /**
     * Starts ZooKeeper, the master and the workers, each worker with {@code shuffle}'s service (its
     * own, on a free port: the workers share a host), in a fresh temporary directory that
     * {@link #close()} deletes. First removes the directories that local clusters whose process is
     * gone left behind ({@link LocalClusterDirectories}), in one line.
     *
     * @param policy the scheduler plugin's policy, for the master's application queue
     * @param shuffle the workers' shuffle: {@link WorkerShuffle#forLocalCluster} of the environment
     */
    public static LocalCluster start(int workerCount, int coresPerWorker, EmberConfig config, SchedulingPolicy policy,
                                     WorkerShuffle shuffle) {
        if (workerCount < 1 || coresPerWorker < 1) {
            throw new IllegalArgumentException("a local cluster needs at least 1 worker of 1 core: "
                    + workerCount + " x " + coresPerWorker);
        }
        LocalClusterDirectories directories = LocalClusterDirectories.inTemporaryDirectory();
        List<LocalClusterDirectories.Removed> removed = directories.sweep();
        if (!removed.isEmpty()) {
            LOG.info("Removed {} director{} left by local clusters whose process is gone: {}", removed.size(),
                    removed.size() == 1 ? "y" : "ies", removed.stream().map(Object::toString)
                            .collect(Collectors.joining(", ")));
        }
        Path base;
        try {
            base = directories.create();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the local cluster: " + e.getMessage(), e);
        }
        LocalCluster local = new LocalCluster(base, config.get(EmberKeys.CLUSTER));
        try {
            local.startAll(workerCount, coresPerWorker, config, policy, requireNonNull(shuffle, "shuffle is null"));
            return local;
        } catch (RuntimeException | Error e) {
            local.close();
            throw e;
        }
    }

    private void startAll(int workerCount, int coresPerWorker, EmberConfig config, SchedulingPolicy policy,
                          WorkerShuffle shuffle) {
        long started = System.nanoTime();
        ServerAddress zooKeeperAddress = ServerAddress.from(config, ServerAddress.Role.ZOOKEEPER, "");
        zooKeeper = EmbeddedZooKeeper.start(baseDir.resolve("zookeeper"), zooKeeperAddress);
        Optional<String> secret = config.core().find(EmberKeys.AUTH_SECRET);
        ZooKeeperSettings zk = new ZooKeeperSettings(zooKeeper.connectString(),
                config.get(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT), config.get(EmberKeys.ZOOKEEPER_CONNECTION_TIMEOUT),
                secret);
        ServerAddress masterAddress = ServerAddress.from(config, ServerAddress.Role.MASTER, zk.connectString());
        ServerAddress workerAddress = ServerAddress.from(config, ServerAddress.Role.WORKER, zk.connectString());
        if (Stream.of(zooKeeperAddress, masterAddress, workerAddress).anyMatch(ServerAddress::listensBeyondThisHost)) {
            OpenClusterWarning.warnIfOpen(config, "local cluster");
        }
        master = MasterServer.start(new MasterOptions(cluster, zk, masterAddress.bind(), 0,
                Placement.of(config.get(EmberKeys.MASTER_PLACEMENT)), secret, config.get(EmberKeys.RPC_TIMEOUT),
                Duration.ofSeconds(2), MasterOptions.newMasterId(masterAddress.advertised()), RpcLimits.from(config),
                masterAddress.advertised(), WebUiPort.from(config, EmberKeys.MASTER_UI_PORT)), policy);
        WebUiPort workerUi = WebUiPort.from(config, EmberKeys.WORKER_UI_PORT);
        long executorMemory = config.get(EmberKeys.EXECUTOR_MEMORY);
        int executorCores = config.get(EmberKeys.EXECUTOR_CORES);
        long workerMemory = Math.max(executorMemory, (long) Math.ceil((double) coresPerWorker / executorCores) * executorMemory);
        for (int i = 0; i < workerCount; i++) {
            workers.add(WorkerServer.start(new WorkerOptions(cluster, zk, workerAddress.bind(), 0, Optional.of("worker-" + i),
                    coresPerWorker, workerMemory, baseDir.resolve("work-" + i), false,
                    config.get(EmberKeys.RPC_TIMEOUT), ExecutorCommand.currentJava(), ExecutorCommand.currentClassPath(),
                    // An application's ember.executor.javaOptions reach its executors with its registration,
                    // as on any cluster: the workers add none of their own, or they would come twice.
                    List.of(), executorMemory,
                    // No class-data archive: it would go with the temporary directory, after costing the
                    // first executors seconds of writing it at their exit.
                    executorCores, Optional.empty(), config.get(EmberKeys.WORKER_CLEANUP_INTERVAL),
                    config.get(EmberKeys.WORKER_CLEANUP_GRACE), RpcLimits.from(config), workerAddress.advertised(),
                    workerUi), shuffle));
        }
        LOG.info("Local cluster '{}' up in {} ms: ZooKeeper at {}, master at {}{}, {} worker(s) of {} core(s)", cluster,
                (System.nanoTime() - started) / 1_000_000, zooKeeper.connectString(), master.address(),
                master.uiUrl().isEmpty() ? "" : " (web UI " + master.uiUrl() + ")", workerCount, coresPerWorker);
    }

    /** The embedded ZooKeeper's connect string. */
    public String zookeeperConnect() {
        return zooKeeper.connectString();
    }

    /** The cluster's name. */
    public String cluster() {
        return cluster;
    }

    /** The master URL drivers use to reach this cluster: {@code ember://<zookeeper>/<cluster>}. */
    public String masterUrl() {
        return "ember://" + zooKeeper.connectString() + "/" + cluster;
    }

    /** The master. */
    /** The master orders applications by the new policy from now on (the driver's settings were reloaded). */
    @Override
    public void replaceSchedulingPolicy(SchedulingPolicy policy) {
        master.replacePolicy(policy);
    }

    public MasterServer master() {
        return master;
    }

    /** The workers. */
    public List<WorkerServer> workers() {
        return List.copyOf(workers);
    }

    /** Stops the workers (and so every executor), the master and ZooKeeper; deletes the directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (WorkerServer worker : workers) {
            worker.close();
        }
        if (master != null) {
            master.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        deleteQuietly(baseDir);
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("Could not delete the local cluster's directory {}: {}", dir, e.getMessage());
        }
    }
}
