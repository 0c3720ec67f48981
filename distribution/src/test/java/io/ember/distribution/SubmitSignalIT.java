package io.ember.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.distribution.multihost.EmberDistribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code bin/ember submit --class io.ember.examples.WordCount
 * examples/ember-examples-*.jar} (a local cluster of 2 workers, real executor processes, a 20 MB
 * sample text generated in the temporary directory), told to stop while its job runs: by a Ctrl-C
 * (SIGINT to its whole process group, as a terminal sends it), by SIGTERM, twice; and against a
 * cluster of its own process. Each run gets its own {@code java.io.tmpdir} and a marker in its
 * JVMs' options, so that what it leaves in the file system and the process table can be checked
 * exactly; and killed (kill -9) against a cluster of its own process. Prints the time from the
 * signal to the exit, or to the master's end of the application.
 */
final class SubmitSignalIT {

    private static final Pattern STOP_LINE = Pattern.compile("(?m)^ember submit: (interrupted \\(SIGINT\\)|terminated "
            + "\\(SIGTERM\\)): stopping application (app-\\S+) \\(the master is told, executors stopped, temporary files "
            + "removed\\)$");
    private static final long DEADLINE_SECONDS = 120;

    private final Path distribution = Path.of(System.getProperty("distribution.dir"));
    private final String marker = "-Dsubmit-signal-it.run=" + UUID.randomUUID();   // not ember.*: those are checked
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void endWhatWasStarted() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        ProcessHandle.allProcesses().filter(this::isOurs).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void ctrlCEndsTheApplicationEverywhereAndLeavesNothing() throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Run run = submitWordCount(javaTmp, List.of());
        List<ProcessHandle> executors = run.awaitExecutors();

        // the whole process group, as a terminal's Ctrl-C
        int exitCode = run.signalAndAwaitExit("INT", "-" + run.process.pid(),
                "Ctrl-C on ember submit (WordCount, local-cluster[2,1])");

        assertEquals(130, exitCode, run.toString());
        String appId = run.stopLine("interrupted (SIGINT)");
        assertTrue(run.stderr().contains("Application " + appId + " ended (unregistered by its driver)"),
                "the master is told\n" + run);
        assertEquals(2, count(run.stderr(), "Launching executor "), "the master relaunched nothing\n" + run);
        assertFalse(run.stderr().contains("code 130"), "no executor died of the Ctrl-C itself: its worker "
                + "stopped it\n" + run);
        assertNothingRuns(executors, run);
        assertEmpty(javaTmp, "no local cluster's directory, no sample text: " + run);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void sigtermDoesTheSameWithItsOwnExitCode() throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Run run = submitWordCount(javaTmp, List.of());
        List<ProcessHandle> executors = run.awaitExecutors();

        int exitCode = run.signalAndAwaitExit("TERM", Long.toString(run.process.pid()),
                "SIGTERM on ember submit (WordCount, local-cluster[2,1])");

        assertEquals(143, exitCode, run.toString());
        String appId = run.stopLine("terminated (SIGTERM)");
        assertTrue(run.stderr().contains("Application " + appId + " ended (unregistered by its driver)"), run.toString());
        assertEquals(2, count(run.stderr(), "Launching executor "), run.toString());
        assertNothingRuns(executors, run);
        assertEmpty(javaTmp, run.toString());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void sigtermEndsTheApplicationOnAClusterOfItsOwnProcess() throws Exception {
        OnCluster submitted = submitToAClusterOfItsOwn();
        Run run = submitted.run();

        int exitCode = run.signalAndAwaitExit("TERM", Long.toString(run.process.pid()),
                "SIGTERM on ember submit (WordCount, ember://)");

        assertEquals(143, exitCode, run.toString());
        String appId = run.stopLine("terminated (SIGTERM)");
        assertEmpty(submitted.javaTmp(), "the sample text is gone: " + run);
        submitted.awaitTheApplicationGone(appId);
        String log = submitted.log();
        assertTrue(log.contains("Application " + appId + " ended (unregistered by its driver)"), log);
        assertFalse(log.contains("stopped answering"), "the driver said goodbye before it hung up\n" + log);
        assertEquals(2, count(log, "Launching executor "), "the master relaunched nothing\n" + log);
    }

    /**
     * kill -9 runs nothing in the driver: its executors lose it at once and exit, and the master, whose
     * stream from the driver broke as well, replaces none of them; it ends the application when the
     * driver's ZooKeeper node goes.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void killMinus9OfTheDriverEndsTheApplicationAndTheMasterRelaunchesNothing() throws Exception {
        OnCluster submitted = submitToAClusterOfItsOwn();
        Run run = submitted.run();

        long killed = System.nanoTime();
        signal("KILL", Long.toString(run.process.pid()));
        assertEquals(137, run.awaitExit(), run.toString());
        Pattern ended = Pattern.compile("Application (app-\\S+) ended \\(its driver went away\\)");
        awaitWhileRunning(submitted.cluster(), () -> ended.matcher(submitted.log()).find(),
                "the master ends the application", submitted::log);
        System.out.printf("kill -9 of ember submit (WordCount, ember://): the master ended the application %d ms "
                + "after the kill%n", (System.nanoTime() - killed) / 1_000_000);

        Matcher appId = ended.matcher(submitted.log());
        assertTrue(appId.find(), submitted.log());
        submitted.awaitTheApplicationGone(appId.group(1));
        String log = submitted.log();
        assertTrue(log.contains("The driver of " + appId.group(1) + " stopped answering"), log);
        assertEquals(2, count(log, "Launching executor "), "the master relaunched nothing\n" + log);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aSecondCtrlCExitsAtOnceAndTheNextLocalClusterRemovesWhatItLeft() throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Run run = submitWordCount(javaTmp, List.of());
        List<ProcessHandle> executors = run.awaitExecutors();

        signal("INT", Long.toString(run.process.pid()));
        awaitWhileRunning(run.process, () -> STOP_LINE.matcher(run.stderr()).find(), "the stop's line", run::toString);
        signal("INT", Long.toString(run.process.pid()));
        int exitCode = run.awaitExit();

        assertEquals(130, exitCode, run.toString());
        assertTrue(run.stderr().contains("ember submit: second SIGINT: exiting now (code 130) without finishing the "
                + "clean-up"), run.toString());
        await(() -> executors.stream().noneMatch(ProcessHandle::isAlive),
                "the executors end with their worker's process", run::toString);
        List<Path> left = localClusterDirectories(javaTmp);
        assertEquals(1, left.size(), "the forced exit left its local cluster's directory: " + left);

        Path nextOut = tmp.resolve("next-out.txt");
        Path nextErr = tmp.resolve("next-err.txt");
        Process next = start(List.of(), javaTmp, nextOut, nextErr, "local-cluster", "--workers", "1", "--cores", "1");
        awaitWhileRunning(next, () -> read(nextOut).contains("Master URL: "), "the next local cluster runs",
                () -> read(nextErr));

        assertTrue(read(nextErr).contains("Removed 1 directory left by local clusters whose process is gone: "
                + left.get(0).getFileName() + " (process " + run.process.pid() + ", "), read(nextErr));
        assertEquals(1, localClusterDirectories(javaTmp).size(), "only the running cluster's own is there");
        assertFalse(Files.exists(left.get(0)));
        signal("TERM", Long.toString(next.pid()));
        assertTrue(next.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS), read(nextErr));
        assertEquals(List.of(), localClusterDirectories(javaTmp), "the next cluster removed its own at its end");
    }

    // ---- running bin/ember

    /**
     * {@code bin/ember local-cluster} of 2 workers of 1 core in a process of its own, and the README's
     * WordCount submitted to it, running once both its executors registered.
     */
    private OnCluster submitToAClusterOfItsOwn() throws IOException {
        Path clusterTmp = Files.createDirectories(tmp.resolve("cluster-tmp"));
        Path clusterOut = tmp.resolve("cluster-out.txt");
        Path clusterErr = tmp.resolve("cluster-err.txt");
        Process cluster = start(List.of(), clusterTmp, clusterOut, clusterErr,
                "local-cluster", "--workers", "2", "--cores", "1");
        awaitWhileRunning(cluster, () -> read(clusterOut).contains("Master URL: ")
                        && count(read(clusterErr), "registered with the leader") == 2,
                "the local cluster's master URL and 2 registered workers", () -> read(clusterErr));
        Matcher url = Pattern.compile("Master URL: (ember://\\S+)").matcher(read(clusterOut));
        assertTrue(url.find(), read(clusterOut));
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Run run = submitWordCount(javaTmp, List.of("--master", url.group(1)));
        run.awaitExecutors();
        return new OnCluster(cluster, clusterTmp, clusterErr, javaTmp, run, cluster.descendants().toList());
    }

    /**
     * A submit against a cluster of its own process.
     *
     * @param executors the cluster's processes once the application's executors registered
     */
    private record OnCluster(Process cluster, Path clusterTmp, Path clusterErr, Path javaTmp, Run run,
                             List<ProcessHandle> executors) {

        String log() {
            return read(clusterErr);
        }

        /** Waits until the application's executors have ended and the workers deleted its directories. */
        void awaitTheApplicationGone(String appId) {
            awaitWhileRunning(cluster, () -> executors.stream().noneMatch(ProcessHandle::isAlive),
                    "the application's executors end", this::log);
            awaitWhileRunning(cluster, () -> !contains(clusterTmp, appId),
                    "the workers delete the application's work directories", this::log);
        }
    }

    /** The README's first command, with the run's temporary directory and marker for the executors too. */
    private Run submitWordCount(Path javaTmp, List<String> master) throws IOException {
        List<String> args = new ArrayList<>(List.of("submit"));
        args.addAll(master);
        args.addAll(List.of("--conf", "ember.executor.javaOptions=" + EmberDistribution.TEST_JVM_OPTIONS + " -Djava.io.tmpdir="
                        + javaTmp + " " + marker,
                "--class", "io.ember.examples.WordCount", examplesJar().toString()));
        Path stdout = Files.createTempFile(tmp, "submit-out", ".txt");
        Path stderr = Files.createTempFile(tmp, "submit-err", ".txt");
        // Its own process group (setsid), so that a Ctrl-C can be sent to the group as a terminal does.
        return new Run(start(List.of("setsid"), javaTmp, stdout, stderr, args.toArray(String[]::new)), stdout, stderr);
    }

    private Process start(List<String> launcher, Path javaTmp, Path stdout, Path stderr, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(launcher);
        if (sigintIgnoredHere()) {
            command.addAll(List.of("env", "--default-signal=INT"));   // as a terminal's foreground job has it
        }
        Process process = new EmberCommand(distribution).start(command, environment(javaTmp), stdout, stderr, args);
        started.add(process);
        return process;
    }

    private Map<String, String> environment(Path javaTmp) {
        return Map.of("EMBER_JAVA_OPTS", EmberDistribution.TEST_JVM_OPTIONS + " -Djava.io.tmpdir=" + javaTmp + " " + marker,
                "TMPDIR", javaTmp.toString());
    }

    /**
     * Whether this JVM ignores SIGINT, and so would every process it starts: a background job of a
     * non-interactive shell (a build started with {@code &}) does.
     */
    private static boolean sigintIgnoredHere() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & 0b10) != 0;
            }
        }
        return false;
    }

    private static void signal(String signal, String target) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, "--", target).inheritIO().start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -s " + signal + " -- " + target);
    }

    /** One {@code bin/ember submit}: its process and output. */
    private final class Run {
        final Process process;
        final Path stdout;
        final Path stderr;

        Run(Process process, Path stdout, Path stderr) {
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /**
         * Waits until both executors have registered with the driver (WordCount's job starts then).
         *
         * @return the processes the submit started by then, its executors
         */
        List<ProcessHandle> awaitExecutors() {
            awaitWhileRunning(process, () -> count(stderr(), "registered: worker worker-") == 2,
                    "both executors registered", this::toString);
            return process.descendants().toList();
        }

        /** Sends {@code signal} to {@code target}, waits for the exit and prints how long it took; returns the exit code. */
        int signalAndAwaitExit(String signal, String target, String what) throws IOException, InterruptedException {
            long signalled = System.nanoTime();
            signal(signal, target);
            int exitCode = awaitExit();
            System.out.printf("%s: exit %d after %d ms%n", what, exitCode, (System.nanoTime() - signalled) / 1_000_000);
            return exitCode;
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS), "no exit within " + DEADLINE_SECONDS
                    + " s\n" + this);
            return process.exitValue();
        }

        /** The one line the stop printed, for that cause; returns the application's id. */
        String stopLine(String cause) {
            List<String> lines = stderr().lines().filter(line -> line.startsWith("ember submit:")).toList();
            assertEquals(1, lines.size(), "one line from ember submit\n" + this);
            Matcher line = STOP_LINE.matcher(lines.get(0));
            assertTrue(line.matches() && line.group(1).equals(cause), lines.get(0));
            return line.group(2);
        }

        String stderr() {
            return read(stderr);
        }

        @Override
        public String toString() {
            return "--- stdout\n" + read(stdout) + "--- stderr\n" + read(stderr);
        }
    }

    // ---- checks

    private void assertNothingRuns(List<ProcessHandle> descendants, Run run) {
        assertFalse(descendants.isEmpty(), "the executors were seen running");
        List<Long> alive = descendants.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
        assertEquals(List.of(), alive, "processes the submit started are still alive\n" + run);
        List<String> ours = ProcessHandle.allProcesses().filter(this::isOurs)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
        assertEquals(List.of(), ours, "processes with this run's marker are still alive");
    }

    private boolean isOurs(ProcessHandle process) {
        return process.isAlive() && process.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false);
    }

    private static void assertEmpty(Path dir, String message) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(), entries.map(Path::getFileName).map(Path::toString).toList(), message);
        }
    }

    private static List<Path> localClusterDirectories(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("ember-local-cluster-")).toList();
        }
    }

    private static boolean contains(Path dir, String name) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.anyMatch(p -> p.getFileName() != null && p.getFileName().toString().equals(name));
        } catch (IOException e) {
            return true;   // a tree changing under the walk: ask again
        }
    }

    /** Waits for {@code condition} while {@code process} runs. */
    private static void awaitWhileRunning(Process process, BooleanSupplier condition, String what,
                                          Supplier<String> context) {
        await(() -> {
            assertTrue(process.isAlive() || condition.getAsBoolean(), "the process exited before: " + what + "\n"
                    + context.get());
            return condition.getAsBoolean();
        }, what, context);
    }

    private static void await(BooleanSupplier condition, String what, Supplier<String> context) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + DEADLINE_SECONDS + " s: " + what + "\n"
                    + context.get());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private Path examplesJar() throws IOException {
        try (Stream<Path> files = Files.list(distribution.resolve("examples"))) {
            return files.filter(p -> p.getFileName().toString().matches("ember-examples-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ember-examples JAR in " + distribution.resolve("examples")));
        }
    }
}
