package io.ember.distribution.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The suite's topology for a class of fault tests, with what those tests share: it starts the
 * network and the cluster once (skipping the class with one line where namespaces cannot be made),
 * starts again whatever a test killed or cut off, runs the SalesByRegion join whose answer each test
 * checks exact, and reads the drivers' logs. Used from one test thread.
 */
final class TopologyRun implements AutoCloseable {

    static final Duration JOB = Duration.ofSeconds(240);
    static final Duration RECOVERY = Duration.ofSeconds(60);
    static final String SALES = "io.ember.examples.SalesByRegion";
    static final int CUSTOMERS = 10_000;
    static final int ORDERS = 4_000_000;
    static final String FIRST_MAP_STAGE = "Map stage of shuffle";
    /** How long the executor that builds the class-data-sharing archive may take to write it as it exits. */
    private static final Duration ARCHIVE_WRITTEN = Duration.ofSeconds(90);
    /** A worker's line once it has kept the archive its first executor wrote: the archive's path. */
    private static final Pattern ARCHIVE_KEPT = Pattern.compile(
            "Executors start from a class-data-sharing archive from now on \\(\\d+ MB, (\\S+)\\)");
    /** A driver's line for each executor that registered with it: id, worker, host, PID. */
    static final Pattern REGISTERED = Pattern.compile(
            "Executor (\\S+) registered: worker (\\S+), host (\\S+), \\d+ core\\(s\\), pid (\\d+)");

    private final Path dir;
    private final MultiHostNetwork network;
    private final ClusterTopology cluster;
    private final Path unshared;

    private TopologyRun(Path dir, MultiHostNetwork network, ClusterTopology cluster, Path unshared) {
        this.dir = dir;
        this.network = network;
        this.cluster = cluster;
        this.unshared = unshared;
    }

    /**
     * Starts the topology (workers of 2 cores) in a new directory named after {@code name}, the
     * workers not sharing its {@code unshared} directory with the driver where {@code unshare} and
     * {@code mount} are there.
     */
    static TopologyRun start(String name) throws IOException {
        Optional<String> why = MultiHostNetwork.unavailable();
        assumeTrue(why.isEmpty(), () -> why.orElseThrow());
        Path dir = Files.createTempDirectory("ember-" + name + "-");
        MultiHostNetwork network = null;
        try {
            network = MultiHostNetwork.create(dir);
            Path unshared = onPath("unshare") && onPath("mount") ? Files.createDirectory(dir.resolve("unshared")) : null;
            long started = System.nanoTime();
            ClusterTopology cluster = ClusterTopology.start(network, EmberDistribution.fromBuild(), 2, unshared);
            long up = System.nanoTime();
            Path archive = buildTheExecutorsArchiveOnce(cluster);
            System.out.printf("multi-host topology: 3 ZooKeeper servers, 2 masters, 3 workers up in %d ms; the "
                    + "executors' class-data-sharing archive (%d MB) built on one worker and copied to the others in "
                    + "%d ms%n", (up - started) / 1_000_000, Files.size(archive) >> 20,
                    (System.nanoTime() - up) / 1_000_000);
            return new TopologyRun(dir, network, cluster, unshared);
        } catch (RuntimeException | Error e) {
            if (network != null) {
                network.close();
            }
            delete(dir);
            throw e;
        }
    }

    /**
     * Has one worker build the executors' class-data-sharing archive (the first executor it runs
     * writes it as it exits, when the application ends) and gives the other workers a copy of it. Left
     * to themselves, the three would each write one as the first tests end, some 30 CPU-seconds
     * apiece, on a machine of two cores that the tests' own processes keep busy.
     *
     * @return the archive
     */
    private static Path buildTheExecutorsArchiveOnce(ClusterTopology cluster) throws IOException {
        HostProcess warmUp = cluster.submit("archive-builder", Map.of("ember.executor.instances", "1"), SALES,
                "100", "1000");
        try {
            assertEquals(0, warmUp.awaitExit(JOB), warmUp.describe() + "\n" + cluster.describe());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a worker built the executors' archive", e);
        }
        Await.until(ARCHIVE_WRITTEN, () -> cluster.workers().stream().anyMatch(worker -> ARCHIVE_KEPT.matcher(
                output(worker)).find()), () -> "no worker kept the archive\n" + cluster.describe());
        Path archive = null;
        for (HostProcess worker : cluster.workers()) {
            Matcher kept = ARCHIVE_KEPT.matcher(output(worker));
            if (kept.find()) {
                archive = Path.of(kept.group(1));
            }
        }
        for (int i = 0; i < cluster.workers().size(); i++) {
            Path directory = cluster.classDataDirectory(i);
            Path copy = directory.resolve(archive.getFileName());
            if (!copy.equals(archive)) {
                Files.createDirectories(directory);
                Path partial = directory.resolve(archive.getFileName() + ".copying");
                Files.copy(archive, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return archive;
    }

    MultiHostNetwork network() {
        return network;
    }

    ClusterTopology cluster() {
        return cluster;
    }

    /** The run's directory, which every host sees. */
    Path directory() {
        return dir;
    }

    /** The directory the workers do not share with the driver (each has a tmpfs of its own there); empty where none could be made. */
    Optional<Path> unshared() {
        return Optional.ofNullable(unshared);
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(directory -> !directory.isEmpty() && Files.isExecutable(Path.of(directory, command)));
    }

    /**
     * Resumes every paused master, heals every host that was cut off, and starts again every ZooKeeper server, master and worker
     * that is gone, waiting until each is back and a master leads: the next test finds the whole
     * topology.
     */
    void restore() {
        for (HostProcess master : cluster.masters()) {
            if (master.isAlive()) {
                master.resume(); // a test that failed while it had a master paused
            }
        }
        for (Host host : network.hosts()) {
            if (network.isCut(host)) {
                network.heal(host);
            }
        }
        List<HostProcess> servers = cluster.zooKeeper().servers();
        for (int i = 0; i < servers.size(); i++) {
            if (!servers.get(i).isAlive()) {
                cluster.zooKeeper().restart(i);
            }
        }
        cluster.zooKeeper().awaitServing(RECOVERY);
        List<HostProcess> masters = cluster.masters();
        for (int i = 0; i < masters.size(); i++) {
            if (!masters.get(i).isAlive()) {
                cluster.restartMaster(i).awaitOutput("listening on", RECOVERY);
            }
        }
        List<HostProcess> workers = cluster.workers();
        for (int i = 0; i < workers.size(); i++) {
            if (!workers.get(i).isAlive()) {
                cluster.restartWorker(i);
            }
        }
        Await.until(RECOVERY, () -> cluster.leaderMaster().isPresent(), () -> "no master leads\n" + cluster.describe());
    }

    /** Submits the join from the driver's host. */
    HostProcess submitSales(String name) {
        return submitSales(name, CUSTOMERS, ORDERS);
    }

    /** Submits the join of {@code orders} orders by {@code customers} customers from the driver's host. */
    HostProcess submitSales(String name, int customers, int orders) {
        return cluster.submit(name, SALES, Integer.toString(customers), Integer.toString(orders));
    }

    /** Submits the join with {@code settings} on top of the usual ones. */
    HostProcess submitSales(String name, Map<String, String> settings) {
        return cluster.submit(name, settings, SALES, Integer.toString(CUSTOMERS), Integer.toString(ORDERS));
    }

    /** Submits the join and waits until its first map stage finished: the job is provably under way. */
    HostProcess submitAndAwaitAMapStage(String name) {
        return submitAndAwaitAMapStage(name, Map.of());
    }

    /** As {@link #submitAndAwaitAMapStage(String)}, with {@code settings} on top of the usual ones. */
    HostProcess submitAndAwaitAMapStage(String name, Map<String, String> settings) {
        HostProcess submit = submitSales(name, settings);
        submit.awaitOutput(FIRST_MAP_STAGE, JOB);
        return submit;
    }

    /** The driver exited 0 and printed every line of the exact answer. */
    void assertExact(HostProcess submit, int exit) {
        assertExact(submit, exit, CUSTOMERS, ORDERS);
    }

    /** As {@link #assertExact(HostProcess, int)}, for a join of other sizes. */
    void assertExact(HostProcess submit, int exit, int customers, int orders) {
        String all = submit.describe() + "\n" + cluster.describe();
        assertEquals(0, exit, all);
        for (String line : SalesByRegionAnswer.lines(customers, orders)) {
            assertTrue(submit.stdout().contains(line + "\n"), "missing '" + line + "'\n" + all);
        }
    }

    /** Milliseconds from {@code fault} until {@code condition} holds (fails at the recovery deadline). */
    long millisUntil(long fault, BooleanSupplier condition, HostProcess submit) {
        Await.until(RECOVERY, condition, () -> submit.describe() + "\n" + cluster.describe());
        return (System.nanoTime() - fault) / 1_000_000;
    }

    String masterLog(int index) {
        return output(cluster.masters().get(index));
    }

    /** What a process printed so far, standard output then error. */
    static String output(HostProcess process) {
        return process.stdout() + process.stderr();
    }

    /**
     * Milliseconds from {@code fault} to the time stamp ({@code HH:mm:ss.SSS}, this machine's clock)
     * of the first line of {@code process}'s log that contains {@code text}.
     */
    static long millisOf(HostProcess process, String text, long fault) {
        String line = output(process).lines().filter(candidate -> candidate.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + text + "'\n" + process.describe()));
        LocalTime stamp = LocalTime.parse(line.substring(0, 12));
        long faultAgo = (System.nanoTime() - fault) / 1_000_000;
        long lineAgo = Duration.between(stamp, LocalTime.now()).toMillis();
        return faultAgo - lineAgo;
    }

    /** The hosts of the executors that registered with a driver, in order. */
    static List<String> executorHosts(String driverLog) {
        List<String> hosts = new ArrayList<>();
        Matcher matcher = REGISTERED.matcher(driverLog);
        while (matcher.find()) {
            hosts.add(matcher.group(3));
        }
        return hosts;
    }

    static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    /** SIGKILL to a process this test's cluster started (a child of a worker), and waits until it is gone. */
    static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroyForcibly();
            Await.until(RECOVERY, () -> !process.isAlive(), () -> "pid " + pid + " survived SIGKILL");
        });
    }

    /** Whether the process {@code pid} is still running. */
    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Every executor a worker stopped exited within its grace: none had to be killed ("did not exit
     * within ... killing it"), the class-data-sharing archive's builder included.
     */
    void assertEveryExecutorStoppedInItsGrace() {
        for (HostProcess worker : cluster.workers()) {
            String log = output(worker);
            assertTrue(!log.contains("did not exit within"), "an executor was killed after its grace\n" + log);
        }
    }

    /**
     * Ends every process and namespace, and deletes the directory (kept, for reading the logs, with
     * {@code -Dember.it.keepDirectory=true}).
     */
    @Override
    public void close() throws IOException {
        network.close();
        if (Boolean.getBoolean("ember.it.keepDirectory")) {
            System.out.println("kept the run's directory " + dir);
        } else {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
