package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.ember.api.config.DeclaredSettings;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.KeyCatalog;
import io.ember.core.config.OpenClusterWarning;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.master.MasterOptions;
import io.ember.core.master.MasterServer;
import io.ember.core.master.Placement;
import io.ember.core.testing.CapturedLog;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.PlainZooKeeper;
import io.ember.core.worker.WorkerOptions;
import io.ember.core.worker.WorkerServer;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A cluster root in ZooKeeper that someone created before Ember, without credentials: masters and
 * workers with a secret refuse it in one line and change nothing; a root Ember created is
 * accepted again on restart. And a process of a real cluster without a secret warns, once, that it
 * is open.
 */
final class SquattedClusterTest {

    private static final String SECRET = "correct-horse-battery-staple";
    private static final String CLUSTER = "squat";
    private static final ClusterPaths PATHS = new ClusterPaths(CLUSTER);

    @TempDir
    Path home;

    private EmbeddedZooKeeper zooKeeper;
    private ZooKeeper stranger;
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zooKeeper = EmbeddedZooKeeper.start(home.resolve("zookeeper"));
        stranger = PlainZooKeeper.connect(zooKeeper.connectString());
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        stranger.close();
        zooKeeper.close();
    }

    @Test
    @Timeout(120) // a master or worker that accepted the root would run until stopped: fail instead of hanging
    void aMasterAndAWorkerWithASecretRefuseARootSomeoneElseCreatedAndChangeNothing() throws Exception {
        // Any client, without credentials: ZooKeeper's open ACL.
        stranger.create(ClusterPaths.NAMESPACE, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        stranger.create(PATHS.root(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Map<String, Stat> before = PlainZooKeeper.snapshot(stranger, ClusterPaths.NAMESPACE);
        String refusal = "ZooKeeper node /ember/squat can be changed without the cluster's secret (world:anyone has "
                + "cdrwa): it was not created by Ember with ember.auth.secret; delete it (`bin/ember zk-shell deleteall "
                + "/ember/squat` while no process of cluster 'squat' runs) or give it Ember's ACL (in `bin/ember "
                + "zk-shell`: `addauth digest ember:<the secret>`, then `setAcl -R /ember/squat auth::cdrwa`), then "
                + "start again";

        Run master = run(Map.of("EMBER_AUTH_SECRET", SECRET), "master", "--conf", "ember.master.port=0");
        assertEquals(1, master.exitCode());
        assertEquals("Cannot start the master: " + refusal, master.err().strip());

        Run worker = run(Map.of("EMBER_AUTH_SECRET", SECRET), "worker");
        assertEquals(1, worker.exitCode());
        assertEquals("Cannot start the worker: " + refusal, worker.err().strip());

        assertEquals(before, PlainZooKeeper.snapshot(stranger, ClusterPaths.NAMESPACE), "nothing was changed");
        assertEquals(List.of(), stranger.getChildren(PATHS.root(), false));
    }

    @Test
    void aRootEmberCreatedWithItsSecretIsAcceptedOnRestart() throws Exception {
        MasterServer first = startMaster();
        Eventually.await(first::isLeader, "the first master leads");
        WorkerServer worker = startWorker();
        worker.close();
        first.close();

        MasterServer again = startMaster();
        Eventually.await(again::isLeader, "the restarted master leads");
        assertEquals(2, again.epoch());
        startWorker();
    }

    @Test
    void everyProcessOfARealClusterWithoutASecretWarnsOnceThatItIsOpen() throws Exception {
        try (CapturedLog log = CapturedLog.of(OpenClusterWarning.class)) {
            // Each fails to start after the warning: ZooKeeper is unreachable, the port is taken.
            assertEquals(1, run(Map.of(), "master", "--conf", "ember.zookeeper.connect=127.0.0.1:1",
                    "--conf", "ember.zookeeper.connectionTimeout=500ms").exitCode());
            assertEquals(List.of("No ember.auth.secret is set: this master's ZooKeeper nodes, RPC ports and shuffle "
                    + "service are open to anyone who can reach them (to read and change the cluster's state, run code "
                    + "on its executors and read shuffle data); set ember.auth.secret (or EMBER_AUTH_SECRET), the same "
                    + "on every process of the cluster, to close them"), log.messages(Level.WARN));

            assertEquals(1, run(Map.of(), "worker", "--conf", "ember.zookeeper.connect=127.0.0.1:1",
                    "--conf", "ember.zookeeper.connectionTimeout=500ms").exitCode());
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                assertEquals(1, run(Map.of(), "shuffle-service", "--conf",
                        "ember.shuffle.service.port=" + taken.getLocalPort()).exitCode());
            }
            List<String> warnings = log.messages(Level.WARN);
            assertEquals(3, warnings.size(), warnings.toString());
            assertTrue(warnings.get(1).startsWith("No ember.auth.secret is set: this worker's ZooKeeper nodes"),
                    warnings.get(1));
            assertTrue(warnings.get(2).startsWith("No ember.auth.secret is set: this shuffle service's ZooKeeper"),
                    warnings.get(2));

            // With the secret: no warning. A local cluster (127.0.0.1 only): no warning either.
            assertEquals(1, run(Map.of("EMBER_AUTH_SECRET", SECRET), "worker", "--conf",
                    "ember.zookeeper.connect=127.0.0.1:1", "--conf", "ember.zookeeper.connectionTimeout=500ms")
                    .exitCode());
            assertEquals(1, run(Map.of(), "local-cluster", "--workers", "0").exitCode());
            assertEquals(3, log.messages(Level.WARN).size(), log.messages(Level.WARN).toString());
        }
    }

    private MasterServer startMaster() {
        MasterOptions options = MasterOptions.from(config()).withPort(0);
        MasterServer master = MasterServer.start(options, new FifoSchedulerFactory().create(
                DeclaredSettings.of(List.of(), Map.of())));
        started.add(master);
        return master;
    }

    private WorkerServer startWorker() {
        WorkerServer worker = WorkerServer.start(WorkerOptions.from(config(), home));
        started.add(worker);
        return worker;
    }

    private EmberConfig config() {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put(EmberKeys.AUTH_SECRET.name(), SECRET);
        return EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), settings),
                new KeyCatalog(EmberKeys.all(), Map.of()));
    }

    /** The cluster's settings, as a process of it starts with them (the secret aside). */
    private Map<String, String> settings() {
        return Map.of(EmberKeys.CLUSTER.name(), CLUSTER,
                EmberKeys.ZOOKEEPER_CONNECT.name(), zooKeeper.connectString(),
                EmberKeys.HOST.name(), "127.0.0.1",
                EmberKeys.WORKER_PORT.name(), "0",
                EmberKeys.WORKER_CORES.name(), "2",
                EmberKeys.WORKER_MEMORY.name(), "1g",
                EmberKeys.WORKER_WORK_DIR.name(), home.resolve("work").toString(),
                EmberKeys.SHUFFLE_SERVICE_PORT.name(), "0");
    }

    private record Run(int exitCode, String err) {
    }

    /** Runs the command line with the cluster's settings (later {@code --conf}s win) and this environment. */
    private Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = EmberCli.commandLine((confDir, cliSettings) -> {
            Map<String, String> all = new HashMap<>(settings());
            all.putAll(cliSettings);
            return new LaunchContext(Optional.of(home), Optional.ofNullable(confDir), environment, Map.of(), all);
        });
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Run(commandLine.execute(args), err.toString());
    }
}
