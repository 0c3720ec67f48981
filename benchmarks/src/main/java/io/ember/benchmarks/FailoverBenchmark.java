package io.ember.benchmarks;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import io.ember.core.config.EmberKeys;
import io.ember.core.coordination.ClusterPaths;
import io.ember.core.coordination.CoordinationException;
import io.ember.core.coordination.EmbeddedZooKeeper;
import io.ember.core.coordination.LeaderInfo;
import io.ember.core.coordination.LeaderTracker;
import io.ember.core.coordination.ZooKeeperClients;
import io.ember.core.coordination.ZooKeeperSettings;
import io.ember.core.driver.EmberContext;
import io.ember.core.files.FileTrees;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * {@code failover}: from {@code kill -9} of the leader master's process to a new application being
 * accepted, in milliseconds, with default settings (so detection costs the default ZooKeeper
 * session timeout, {@code ember.zookeeper.sessionTimeout=4s}).
 *
 * <p>ZooKeeper is embedded in this JVM; two masters run as their own processes
 * ({@code EmberCli master}, this JVM's class path, nothing set but the ZooKeeper address and a free
 * port). No worker: registering an application needs none. A run waits until both masters are in
 * the election, kills the leader's process ({@link Process#destroyForcibly()}: SIGKILL, by the
 * process this benchmark started), and at once builds an {@link EmberContext} with
 * {@code ember.executor.instances=0}, the way a user submits an application. Its {@code build()}
 * registers the application through the real driver path (find the leader in ZooKeeper, call
 * {@code RegisterApplication}, retry against whoever leads) and returns when a master has accepted
 * it: the run is timed from just before the kill to {@code build()} returning. The driver's own
 * start-up (configuration, ZooKeeper connection) overlaps the wait for the new leader. Then the
 * application is stopped and the killed master is started again (on a new port), so every run
 * fails over from two masters.
 *
 * <p>Every process started here is killed at the end, also on failure or Ctrl-C (a shutdown hook);
 * their logs are kept in a temporary directory only when a run fails.
 *
 * <p>Usage: {@code FailoverBenchmark [--runs N] [--warmup N] [--set key=value]...} (default 3 runs,
 * no warm-up; {@code --set} settings go to the masters as {@code --conf} and to the application,
 * e.g. {@code --set ember.zookeeper.sessionTimeout=1s} to measure a shorter detection).
 */
public final class FailoverBenchmark {

    static final String NAME = "failover";

    private static final Duration MASTER_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(60);

    private FailoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        run(WorkloadOptions.parseOrExit(NAME, args, new WorkloadOptions(3, 0)), System.out);
    }

    static void run(WorkloadOptions options, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("ember-failover-benchmark-");
        boolean succeeded = false;
        String cluster = EmberKeys.CLUSTER.defaultValue().orElseThrow();
        ClusterPaths paths = new ClusterPaths(cluster);
        try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
             MasterProcesses masters = new MasterProcesses(dir, zooKeeper.connectString(), options.settings());
             CuratorFramework client = ZooKeeperClients.connect(ZooKeeperSettings.of(zooKeeper.connectString()));
             LeaderTracker tracker = new LeaderTracker(client, paths)) {
            tracker.start();
            masters.start();
            masters.start();
            out.printf("%s: 2 master processes, ZooKeeper embedded at %s, settings %s (session timeout by default %s);"
                            + " Java %s, %d CPU(s); %d warm-up + %d runs%n", NAME, zooKeeper.connectString(),
                    options.settings(), EmberKeys.ZOOKEEPER_SESSION_TIMEOUT.defaultText(), Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), options.warmup(), options.runs());
            Samples samples = new Samples(NAME);
            String masterUrl = "ember://" + zooKeeper.connectString() + "/" + cluster;
            for (int i = 0; i < options.warmup() + options.runs(); i++) {
                boolean warmup = i < options.warmup();
                Run run = once(masters, client, paths, tracker, masterUrl, options.settings(), "failover-" + (i + 1));
                out.printf("%s: %d ms | new leader seen in ZooKeeper after %s ms (%s, epoch %d), application accepted"
                                + " %s ms later (%d attempt(s))%n",
                        warmup ? "warm-up " + (i + 1) : "run " + (i + 1 - options.warmup()) + "/" + options.runs(),
                        run.totalMillis(), run.newLeaderMillis() < 0 ? "?" : Long.toString(run.newLeaderMillis()),
                        run.newLeader(), run.newEpoch(),
                        run.newLeaderMillis() < 0 ? "?" : Long.toString(run.totalMillis() - run.newLeaderMillis()),
                        run.attempts());
                out.flush();
                if (!warmup) {
                    samples.add(run.totalMillis());
                }
                masters.start();   // the killed master's replacement, so the next run again has two
            }
            samples.print(out);
            succeeded = true;
        } finally {
            if (succeeded) {
                deleteQuietly(dir);
            } else {
                System.err.println(NAME + ": the masters' logs are in " + dir);
            }
        }
    }

    /** One failover, timed from the kill to a new application accepted. */
    private record Run(long totalMillis, long newLeaderMillis, String newLeader, long newEpoch, int attempts) {
    }

    private static Run once(MasterProcesses masters, CuratorFramework client, ClusterPaths paths, LeaderTracker tracker,
                            String masterUrl, Map<String, String> settings, String appName) throws Exception {
        Poll.until("two masters in the election", MASTER_START_TIMEOUT, () -> {
            masters.checkAlive();
            return participants(client, paths) == 2;
        });
        LeaderInfo leader = tracker.awaitLeader(MASTER_START_TIMEOUT);
        MasterProcesses.Master victim = masters.byPort(leader.port());
        AtomicLong newLeaderAt = new AtomicLong();
        Consumer<LeaderInfo> listener = next -> {
            if (next.epoch() > leader.epoch()) {
                newLeaderAt.compareAndSet(0, System.nanoTime());
            }
        };
        tracker.addListener(listener);
        try {
            long killed = System.nanoTime();
            masters.kill(victim);
            int attempts = 0;
            long deadline = killed + ACCEPT_TIMEOUT.toNanos();
            while (true) {
                attempts++;
                EmberContext context;
                try {
                    context = EmberContext.builder().isolated()
                            .setAll(settings)
                            .master(masterUrl)
                            .appName(appName)
                            .set("ember.executor.instances", "0")
                            .build();
                } catch (CoordinationException noLeaderInTime) {
                    // build() already retried for ember.rpc.timeout; try again until our own deadline.
                    if (System.nanoTime() - deadline >= 0) {
                        throw new TimeoutException("no master accepted an application within "
                                + Durations.format(ACCEPT_TIMEOUT) + " of the kill: " + noLeaderInTime.getMessage());
                    }
                    continue;
                }
                long accepted = System.nanoTime();
                context.close();
                LeaderInfo now = tracker.current().orElse(leader);
                long leaderAt = newLeaderAt.get();
                return new Run(TimeUnit.NANOSECONDS.toMillis(accepted - killed),
                        leaderAt == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(leaderAt - killed),
                        masters.nameOf(now.port()), now.epoch(), attempts);
            }
        } finally {
            tracker.removeListener(listener);
        }
    }

    private static int participants(CuratorFramework client, ClusterPaths paths) {
        try {
            return client.getChildren().forPath(paths.masterLatch()).size();
        } catch (KeeperException.NoNodeException e) {
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + paths.masterLatch() + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            System.err.println(NAME + ": could not delete " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The master processes this benchmark started: {@code EmberCli master} on this JVM's java and class
     * path, each with a free port and its output in {@code <dir>/<name>.log}. {@link #close()} (and a
     * shutdown hook, for Ctrl-C) kills every one still running, by its process.
     */
    static final class MasterProcesses implements AutoCloseable {

        record Master(String name, int port, Process process, Path log) {
        }

        private final Path dir;
        private final String zooKeeperConnect;
        private final Map<String, String> settings;
        private final List<Master> started = new ArrayList<>();
        private final Set<Master> killed = new HashSet<>();
        private final Thread hook = new Thread(this::killAll, "failover-benchmark-cleanup");

        MasterProcesses(Path dir, String zooKeeperConnect, Map<String, String> settings) {
            this.dir = requireNonNull(dir, "dir is null");
            this.zooKeeperConnect = requireNonNull(zooKeeperConnect, "zooKeeperConnect is null");
            this.settings = Map.copyOf(requireNonNull(settings, "settings is null"));
            Runtime.getRuntime().addShutdownHook(hook);
        }

        synchronized Master start() throws IOException {
            String name = "master-" + (char) ('a' + started.size());
            int port = freePort();
            Path log = dir.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dguice_bytecode_gen_option=DISABLED",
                    "-Dbench.log.ember=INFO",
                    "-cp", System.getProperty("java.class.path"),
                    "io.ember.core.cli.EmberCli", "master"));
            settings.forEach((key, value) -> command.addAll(List.of("--conf", key + "=" + value)));
            command.addAll(List.of(
                    "--conf", EmberKeys.ZOOKEEPER_CONNECT.name() + "=" + zooKeeperConnect,
                    "--conf", EmberKeys.MASTER_PORT.name() + "=" + port));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())   // no ./conf here: defaults only
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("EMBER_"));
            Master master = new Master(name, port, builder.start(), log);
            started.add(master);
            return master;
        }

        synchronized Master byPort(int port) {
            return started.stream().filter(m -> m.port() == port && m.process().isAlive()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the leader's port " + port
                            + " is none of the masters started here: " + started));
        }

        synchronized String nameOf(int port) {
            return started.stream().filter(m -> m.port() == port).map(Master::name).findFirst().orElse("port " + port);
        }

        /** kill -9 of one master, waiting until its process is gone. */
        void kill(Master master) throws InterruptedException {
            synchronized (this) {
                killed.add(master);
            }
            master.process().destroyForcibly();
            if (!master.process().waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(master.name() + " (pid " + master.process().pid()
                        + ") still runs 30 s after SIGKILL");
            }
        }

        /** Fails, with the end of its log, when a master that was not killed here has exited. */
        synchronized void checkAlive() {
            for (Master master : started) {
                if (!killed.contains(master) && !master.process().isAlive()) {
                    throw new IllegalStateException(master.name() + " exited with code " + master.process().exitValue()
                            + ":\n" + tail(master.log()));
                }
            }
        }

        @Override
        public void close() {
            killAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or has run
            }
        }

        private synchronized void killAll() {
            for (Master master : started) {
                master.process().destroyForcibly();
            }
            for (Master master : started) {
                try {
                    master.process().waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port", e);
            }
        }
    }
}
