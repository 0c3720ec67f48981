package io.ember.core.worker;

import io.ember.api.config.Durations;
import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.KeyCatalog;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.executor.TestingDriver;
import io.ember.core.rpc.RpcChannels;
import io.ember.core.rpc.proto.ApplicationFinishedRequest;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ExecutorSpec;
import io.ember.core.rpc.proto.KillExecutorRequest;
import io.ember.core.rpc.proto.LaunchExecutorRequest;
import io.ember.core.rpc.proto.WorkerServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;

/**
 * Everything a worker test needs, on real sockets: an embedded ZooKeeper (tickTime 200 ms), an
 * admin client, fake masters and drivers, workers built from configuration, and a client of the
 * workers' {@code WorkerService}. {@link #close()} stops all of it and kills, by pid, every
 * executor process a test has seen.
 */
final class TestingCluster implements AutoCloseable {

    static final String CLUSTER = "workers";
    static final ClusterPaths PATHS = new ClusterPaths(CLUSTER);
    /** Short, so a killed executor's node goes quickly; the server allows down to 400 ms. */
    static final Duration SESSION = Duration.ofSeconds(2);
    static final long EXECUTOR_HEAP = 64L << 20;

    private final Path dir;
    private final Optional<String> secret;
    private final EmbeddedZooKeeper zooKeeper;
    private final CuratorFramework admin;
    private final RpcChannels channels;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();

    TestingCluster(Path dir, Optional<String> secret) {
        this.dir = dir;
        this.secret = secret;
        this.zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
        this.admin = ZooKeeperClients.connect(zooKeeperSettings());
        this.channels = new RpcChannels("test-client", secret);
    }

    ZooKeeperSettings zooKeeperSettings() {
        ZooKeeperSettings settings = ZooKeeperSettings.of(zooKeeper.connectString())
                .withTimeouts(SESSION, Duration.ofSeconds(10));
        return secret.map(settings::withSecret).orElse(settings);
    }

    CuratorFramework admin() {
        return admin;
    }

    Path workDir() {
        return dir.resolve("work");
    }

    /** The configuration a worker of this cluster starts from, with more settings on top. */
    EmberConfig config(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>();
        settings.put(EmberKeys.CLUSTER.name(), CLUSTER);
        settings.put(EmberKeys.ZOOKEEPER_CONNECT.name(), zooKeeper.connectString());
        settings.put(EmberKeys.ZOOKEEPER_SESSION_TIMEOUT.name(), Durations.format(SESSION));
        settings.put(EmberKeys.WORKER_CORES.name(), "8");
        settings.put(EmberKeys.WORKER_MEMORY.name(), "4g");
        settings.put(EmberKeys.WORKER_WORK_DIR.name(), workDir().toString());
        settings.put(EmberKeys.RPC_TIMEOUT.name(), "5s");
        secret.ifPresent(s -> settings.put(EmberKeys.AUTH_SECRET.name(), s));
        settings.putAll(more);
        return EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), settings),
                new KeyCatalog(EmberKeys.all(), Map.of()));
    }

    WorkerServer startWorker(Map<String, String> more) {
        return track(WorkerServer.start(WorkerOptions.from(config(more), dir)));
    }

    WorkerServer startWorker() {
        return startWorker(Map.of());
    }

    TestingMaster startMaster(String masterId, long epoch) {
        return track(new TestingMaster(masterId, epoch, secret));
    }

    TestingDriver startDriver(String appId) {
        return track(TestingDriver.start(appId, 100, secret));
    }

    /** Publishes the master as the leader (creating or replacing the leader node). */
    void publishLeader(TestingMaster master) throws Exception {
        byte[] record = master.leaderInfo().encode();
        if (admin.checkExists().forPath(PATHS.leader()) == null) {
            admin.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(PATHS.leader(), record);
        } else {
            admin.setData().forPath(PATHS.leader(), record);
        }
    }

    /** Stores an application, as the leader would before launching its executors. */
    void storeApplication(String appId) throws Exception {
        admin.create().creatingParentsIfNeeded().forPath(PATHS.app(appId));
    }

    boolean exists(String path) {
        try {
            return admin.checkExists().forPath(path) != null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    WorkerServiceGrpc.WorkerServiceBlockingStub worker(WorkerServer worker) {
        return WorkerServiceGrpc.newBlockingStub(channels.channel(worker.address()));
    }

    /** A client without the secret. */
    WorkerServiceGrpc.WorkerServiceBlockingStub unauthenticated(WorkerServer worker) {
        RpcChannels plain = track(new RpcChannels("test-plain-client", Optional.empty()));
        return WorkerServiceGrpc.newBlockingStub(plain.channel(worker.address()));
    }

    static LaunchExecutorRequest launch(long epoch, String appId, String executorId, TestingDriver driver) {
        return LaunchExecutorRequest.newBuilder()
                .setEpoch(epoch)
                .setExecutor(ExecutorSpec.newBuilder().setAppId(appId).setExecutorId(executorId).setCores(1)
                        .setMemoryBytes(EXECUTOR_HEAP).setDriverAddress(driver.address()))
                .setApp(ApplicationSpec.newBuilder().setAppId(appId).setName("test").setDriverAddress(driver.address())
                        .putExecutorSettings("ember.task.cpus", "1"))
                .build();
    }

    static KillExecutorRequest kill(long epoch, String appId, String executorId) {
        return KillExecutorRequest.newBuilder().setEpoch(epoch).setAppId(appId).setExecutorId(executorId).build();
    }

    static ApplicationFinishedRequest finished(long epoch, String appId) {
        return ApplicationFinishedRequest.newBuilder().setEpoch(epoch).setAppId(appId).build();
    }

    /** Remembers an executor process, to kill it on close should a test leave it behind. */
    long track(long pid) {
        pids.add(pid);
        return pid;
    }

    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    synchronized <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    @Override
    public synchronized void close() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // cleaning up: keep going
            }
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        channels.close();
        admin.close();
        zooKeeper.close();
    }
}
