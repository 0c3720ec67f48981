package io.ember.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The assembled distribution, run through {@code bin/ember} in real processes. */
final class DistributionIT {

    /** A progress bar drawn in place: a carriage return, then a box of a stage of 8 tasks. */
    private static final Pattern PROGRESS_BAR = Pattern.compile("\r\\[Stage \\d+:[=> ]*\\(\\d+ \\+ \\d+\\) / 8\\]");
    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) ");
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");

    private static final List<String> BUNDLED = List.of("scheduler-fifo", "scheduler-fair", "allocation-dynamic", "shuffle-service");

    /** The example plugin's folder, shipped under examples/plugins/ for the operator to copy into plugins/. */
    private static final String EXAMPLE_PLUGIN = "shortest-first-scheduler";

    private final Path distribution = Path.of(System.getProperty("distribution.dir"));

    @Test
    void hasTheDocumentedLayout() {
        for (String entry : List.of("bin/ember", "lib", "conf/ember.properties", "conf/logback.xml",
                "conf/scheduler-fair.properties", "conf/allocation-dynamic.properties", "LICENSE", "NOTICE")) {
            assertTrue(Files.exists(distribution.resolve(entry)), "missing " + entry);
        }
        assertTrue(Files.isExecutable(distribution.resolve("bin/ember")), "bin/ember is not executable");
        for (String plugin : BUNDLED) {
            assertTrue(jarsIn(distribution.resolve("plugins").resolve(plugin)) > 0, "no JAR in plugins/" + plugin);
        }
        assertFalse(libHas("ember-scheduler-fifo"), "a plugin JAR leaked into lib/");
        assertTrue(libHas("ember-core"), "ember-core is not in lib/");
        assertEquals(1, jarsIn(distribution.resolve("examples")), "one JAR in examples/");
        assertFalse(libHas("ember-examples"), "the examples JAR leaked into lib/");
    }

    @Test
    void submitRunsPiFromTheExamplesJarWhoseClassesAreNotOnEmbersClassPath() throws Exception {
        Path examples = examplesJar();
        assertTrue(jarHas(examples, "io/ember/examples/Pi.class"), "Pi is in " + examples);
        assertFalse(jarHas(examples, "io/ember/core/driver/EmberContext.class"), "the examples JAR does not bundle Ember");
        try (Stream<Path> lib = Files.list(distribution.resolve("lib"))) {
            for (Path jar : lib.filter(p -> p.toString().endsWith(".jar")).toList()) {
                assertFalse(jarHas(jar, "io/ember/examples/Pi.class"), "Pi is on Ember's class path, in " + jar);
            }
        }

        EmberCommand.Result result = new EmberCommand(distribution).run("submit", "--master", "local-cluster[2,1]",
                "--class", "io.ember.examples.Pi", examples.toString(), "20");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("Pi is roughly 3.1"), result.toString());
        assertTrue(result.stdout().matches("(?s).*\\njob \\d+ \\(reduce at Pi\\.java:\\d+\\): 20 tasks on 2 executors in \\d+ ms\\n.*"),
                "the job's summary line names both executors\n" + result);
    }

    /**
     * On a terminal (a pseudo-terminal of {@code script(1)}) {@code ember submit} draws a progress bar
     * of the running stages, redrawn in place, and sends its log lines to a file whose path it prints
     * once, so the terminal shows that line, the bar and the answer. The same job with standard error
     * going to a file draws no bar and keeps its log lines there. Both answers are exact.
     */
    @Test
    void onATerminalSubmitDrawsAProgressBarAndSendsTheLogLinesToAFile(@TempDir Path logs) throws Exception {
        String[] submit = {"submit", "--master", "local-cluster[2,1]", "--conf", "ember.console.logDir=" + logs,
                "--class", "io.ember.examples.SalesByRegion", examplesJar().toString(), "10000", "4000000"};
        String answer = "region 0: 800,000 orders, 38,800,000 in sales";
        EmberCommand ember = new EmberCommand(distribution);

        EmberCommand.Result terminal = ember.runOnATerminal(submit);

        assertEquals(0, terminal.exitCode(), terminal.toString());
        assertTrue(terminal.stdout().contains(answer), terminal.toString());
        Matcher bar = PROGRESS_BAR.matcher(terminal.stdout());
        assertTrue(bar.find(), "a progress bar on the terminal\n" + terminal);
        Matcher logLine = Pattern.compile("Log lines go to (\\S+\\.log)").matcher(terminal.stdout());
        assertTrue(logLine.find(), "where the log lines went\n" + terminal);
        Path logFile = Path.of(logLine.group(1));
        assertEquals(logs, logFile.getParent());
        assertTrue(Files.readString(logFile).contains("Finished job 0"), "the log lines are in the file");
        assertFalse(terminal.stdout().contains(" INFO "), "no INFO line on the terminal\n" + terminal);
        System.out.println("ember submit on a terminal printed " + terminal.stdout().lines().count() + " line(s) "
                + "and drew, among others: " + bar.group().strip());

        EmberCommand.Result file = ember.run(submit);

        assertEquals(0, file.exitCode(), file.toString());
        assertTrue(file.stdout().contains(answer), file.toString());
        assertFalse(file.stdout().contains("[Stage ") || file.stderr().contains("[Stage "),
                "no progress bar without a terminal\n" + file);
        assertTrue(file.stderr().contains("Finished job 0") && !file.stderr().contains("Log lines go to"),
                "the log lines stay on standard error\n" + file);
    }

    @Test
    void submitRunsWordCountThroughTheWorkersShuffleServices() throws Exception {
        Path text = Files.createTempFile("ember-it-words-", ".txt");
        try {
            Files.writeString(text, "to be or not to be\nthat is the question\nto see or not to see\n".repeat(2_000));

            EmberCommand.Result result = new EmberCommand(distribution).run("submit", "--master", "local-cluster[2,1]",
                    "--class", "io.ember.examples.WordCount", examplesJar().toString(), text.toString(), "3");

            assertEquals(0, result.exitCode(), result.toString());
            assertTrue(result.stdout().contains("The 3 most frequent of 9 distinct words (32,000 words in all)"),
                    result.toString());
            assertTrue(result.stdout().matches("(?s).*\\n\\s+8000  to\\n.*"), "'to' is the most frequent\n" + result);
            assertTrue(result.stdout().contains("through the shuffle of sort"), result.toString());
            assertTrue(result.stderr().contains("The sort shuffle service listens on"),
                    "each worker of the local cluster runs the shuffle service\n" + result);
            // Stopping: idle executors exit when asked, the services finish their clean-up, nothing to warn of.
            assertEquals(List.of(), result.stderr().lines().filter(line -> WARN_OR_ERROR.matcher(line).find()).toList(),
                    "no WARN or ERROR line\n" + result);
            assertFalse(result.stderr().contains("did not exit within"), result.toString());
            assertFalse(result.stderr().contains("did not finish removing"), result.toString());
            System.out.printf("WordCount on local-cluster[2,1]: %d ms from 'Stopping application' to the master "
                    + "stopped%n", millisBetween(result.stderr(), "Stopping application", "Master master-"));
        } finally {
            Files.deleteIfExists(text);
        }
    }

    @Test
    void submitRunsWordCountUnderTheBundledDynamicAllocationPlugin() throws Exception {
        Path text = Files.createTempFile("ember-it-words-", ".txt");
        try {
            Files.writeString(text, "to be or not to be\nthat is the question\n".repeat(2_000));

            EmberCommand.Result result = new EmberCommand(distribution).run("submit", "--master", "local-cluster[2,1]",
                    "--conf", "ember.allocation=dynamic",
                    "--conf", "ember.allocation.dynamic.schedulerBacklogTimeout=200ms",
                    "--class", "io.ember.examples.WordCount", examplesJar().toString(), text.toString(), "2");

            assertEquals(0, result.exitCode(), result.toString());
            assertTrue(result.stdout().contains("The 2 most frequent of 8 distinct words (20,000 words in all)"),
                    result.toString());
            assertTrue(result.stderr().contains("allocation policy dynamic"), result.toString());
            assertTrue(result.stderr().contains("Requesting 0 initial executors"),
                    "minExecutors 0: no executor before the first job\n" + result);
            assertTrue(result.stderr().contains("Requesting 1 executor (total 1)"),
                    "the first job's backlog brought the executors\n" + result);
        } finally {
            Files.deleteIfExists(text);
        }
    }

    /**
     * The case: an executor JVM option the JVM does not know. The application fails in seconds
     * instead of waiting for ever, and submit's last line quotes what the executors wrote.
     */
    @Test
    void submitFailsWhenExecutorsCannotStartQuotingTheirStderr() throws Exception {
        long started = System.nanoTime();
        EmberCommand.Result result = new EmberCommand(distribution).run("submit", "--master", "local-cluster[2,1]",
                "--conf", "ember.executor.javaOptions=-XX:+NoSuchOption",
                "--class", "io.ember.examples.Pi", examplesJar().toString(), "20");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals(1, result.exitCode(), result.toString());
        String last = result.stderr().lines().filter(line -> line.startsWith("ember submit: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line of submit's own\n" + result));
        assertTrue(last.matches("ember submit: io\\.ember\\.examples\\.Pi failed: ApplicationFailedException: "
                + "application app-\\S+ failed: its executors exit before they register: 3 in a row "
                + "\\(ember\\.executor\\.maxLaunchFailures=3\\); the last, executor \\d+ on worker worker-\\d, exited "
                + "with code 1; its stderr ends: Unrecognized VM option 'NoSuchOption' \\| .*"), last);
        assertFalse(result.stderr().contains("short of"), result.toString());
        System.out.printf("ember submit with executors that cannot start exited with code %d after %d ms%n",
                result.exitCode(), millis);
    }

    @Test
    void submitRefusesAMissingJarInOneLine() throws Exception {
        EmberCommand.Result result = new EmberCommand(distribution).run("submit", "--class", "com.example.App",
                "no-such-app.jar");

        assertEquals(2, result.exitCode(), result.toString());
        assertEquals("ember submit: application JAR no-such-app.jar does not exist", result.stderr().strip(),
                result.toString());
    }

    @Test
    void runExampleSubmitsTheNamedClassOfTheExamplesJar() throws Exception {
        EmberCommand.Result result = new EmberCommand(distribution).run("run-example", "NoSuchExample");

        assertEquals(2, result.exitCode(), result.toString());
        assertEquals("ember submit: class io.ember.examples.NoSuchExample not found in " + examplesJar(),
                result.stderr().strip(), result.toString());
    }

    @Test
    void confTemplatesListEveryKeyCommentedOut() throws IOException {
        String template = Files.readString(distribution.resolve("conf/ember.properties"));
        assertTrue(template.contains("# ember.scheduler=fifo"), template);
        assertTrue(template.contains("# ember.executor.cores=1"), template);
        String fair = Files.readString(distribution.resolve("conf/scheduler-fair.properties"));
        assertTrue(fair.contains(".weight=1"), fair);
    }

    @Test
    void tarballHoldsTheDistributionUnderOneDirectory() throws IOException {
        List<String> names = tarEntries(Path.of(System.getProperty("distribution.tarball")));
        String base = distribution.getFileName() + "/";
        assertTrue(names.contains(base + "bin/ember"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith(base + "plugins/scheduler-fifo/") && n.endsWith(".jar")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith(base + "examples/ember-examples-") && n.endsWith(".jar")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith(base + "examples/plugins/" + EXAMPLE_PLUGIN
                + "/ember-example-shortest-first-scheduler-") && n.endsWith(".jar")), names.toString());
        assertTrue(names.stream().allMatch(n -> n.startsWith(base)), "entries outside " + base);
    }

    @Test
    void helpNamesThePluginsCommand() throws Exception {
        EmberCommand.Result result = new EmberCommand(distribution).run("--help");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("plugins"), result.toString());
    }

    @Test
    void pluginsListsTheBundledPluginsAndExitsZero() throws Exception {
        EmberCommand.Result result = new EmberCommand(distribution).run("plugins");
        assertEquals(0, result.exitCode(), result.toString());
        for (String plugin : BUNDLED) {
            assertTrue(result.stdout().contains(plugin), "missing " + plugin + "\n" + result);
        }
        assertTrue(result.stdout().contains("scheduler:fifo"), result.toString());
        assertTrue(result.stdout().contains("allocation:static"), result.toString());
        assertTrue(result.stdout().contains("Refused: none"), result.toString());
    }

    @Test
    void pluginsListsABrokenJarAsRefusedAndKeepsTheHealthyOnes(@TempDir Path tmp) throws Exception {
        Path home = copyOf(distribution, tmp.resolve("ember"));
        Path broken = Files.createDirectories(home.resolve("plugins/broken-policy")).resolve("broken-policy.jar");
        Files.writeString(broken, "this is not a zip file");

        EmberCommand.Result result = new EmberCommand(home).run("plugins");

        assertEquals(0, result.exitCode(), "the selected policies are all healthy\n" + result);
        assertTrue(result.stdout().contains("Refused (1)"), result.toString());
        assertTrue(result.stdout().contains("broken-policy.jar"), result.toString());
        assertTrue(result.stdout().contains("scheduler:fair"), "healthy plugins still load\n" + result);
    }

    @Test
    void pluginsFailsWhenTheSelectedPolicyWasRefused(@TempDir Path tmp) throws Exception {
        Path home = copyOf(distribution, tmp.resolve("ember"));
        try (Stream<Path> jars = Files.list(home.resolve("plugins/scheduler-fair"))) {
            for (Path jar : jars.toList()) {
                Files.writeString(jar, "corrupted");
            }
        }

        EmberCommand.Result result = new EmberCommand(home).run("plugins", "--conf", "ember.scheduler=fair");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("ember.scheduler"), result.toString());
        assertTrue(result.stderr().contains("scheduler-fair"), "names the refused plugin\n" + result);
    }

    @Test
    void pluginsFailsWithASuggestionForAMisspeltPolicy() throws Exception {
        EmberCommand.Result result = new EmberCommand(distribution).run("plugins", "--conf", "ember.scheduler=fiar");
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("did you mean 'fair'"), result.toString());
    }

    @Test
    void pluginsReportsEveryConfigurationProblemAtOnce(@TempDir Path conf) throws Exception {
        Files.writeString(conf.resolve("ember.properties"), "ember.executor.cores=zero\nember.shedulr=fair\n");

        EmberCommand.Result result = new EmberCommand(distribution).run("plugins", "--conf-dir", conf.toString());

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("ember.executor.cores"), result.toString());
        assertTrue(result.stderr().contains("ember.properties:1"), result.toString());
        assertTrue(result.stderr().contains("ember.shedulr"), result.toString());
        assertTrue(result.stderr().contains("did you mean ember.scheduler"), result.toString());
    }

    @Test
    void localClusterRunsUntilSigtermAndThenStopsCleanly(@TempDir Path tmp) throws Exception {
        Path stdout = tmp.resolve("out.txt");
        Path stderr = tmp.resolve("err.txt");
        // Many ports after the default 8080 and 8081: other test JVMs of this machine may hold some.
        Process process = new EmberCommand(distribution).start(Map.of(), stdout, stderr,
                "local-cluster", "--workers", "2", "--cores", "1", "--conf", "ember.ui.portRetries=200");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(stdout).contains("Master URL: ember://127.0.0.1:")
                    || !Files.readString(stderr).contains("Worker worker-0 registered with the leader master")
                    || !Files.readString(stderr).contains("Worker worker-1 registered with the leader master")) {
                assertTrue(process.isAlive(), "local-cluster exited early:\n" + Files.readString(stderr));
                assertTrue(System.nanoTime() < deadline, "no master URL and registered workers after 60 s:\n"
                        + Files.readString(stderr));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            Matcher url = Pattern.compile("Master URL: ember://(127\\.0\\.0\\.1:\\d+)/default").matcher(
                    Files.readString(stdout));
            assertTrue(url.find(), Files.readString(stdout));

            // ZooKeeper's own shell, from lib/, on the cluster's registry.
            EmberCommand.Result shell = new EmberCommand(distribution).run("zk-shell", "--conf",
                    "ember.zookeeper.connect=" + url.group(1), "ls", "/ember/default/workers");
            assertEquals(0, shell.exitCode(), shell.toString());
            assertTrue(shell.stdout().contains("[worker-0, worker-1]"), shell.toString());
            assertFalse(shell.stderr().contains("Exception"), shell.toString());

            // ember status: the leader from ZooKeeper, its workers from its REST API; nothing on stderr.
            Matcher webUi = Pattern.compile("Master web UI: (http://127\\.0\\.0\\.1:\\d+)").matcher(
                    Files.readString(stdout));
            assertTrue(webUi.find(), Files.readString(stdout));
            String master = "ember://" + url.group(1) + "/default";
            EmberCommand.Result status = new EmberCommand(distribution).run("status", "--master", master);
            assertEquals(0, status.exitCode(), status.toString());
            assertEquals("", status.stderr(), status.toString());
            assertTrue(status.stdout().matches("(?s).*master-\\S+ +LEADER +1 +127\\.0\\.0\\.1:\\d+ +"
                    + Pattern.quote(webUi.group(1)) + "\n.*"), status.toString());
            assertTrue(status.stdout().matches("(?s).*worker-0 +127\\.0\\.0\\.1 +ALIVE +0/1 .*"), status.toString());
            assertTrue(status.stdout().contains("Executors: 0 (0 running, 0 launching)"), status.toString());
            EmberCommand.Result json = new EmberCommand(distribution).run("status", "--json", "--master", master);
            assertEquals(0, json.exitCode(), json.toString());
            assertTrue(json.stdout().contains("\"uiUrl\" : \"" + webUi.group(1) + "\""), json.toString());
            assertTrue(json.stdout().contains("\"workers\" : 2"), "the totals: " + json);

            process.destroy();

            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops it");
            assertEquals(143, process.exitValue(), "the JVM's exit status after SIGTERM\n" + Files.readString(stderr));
            String log = Files.readString(stderr);
            assertTrue(log.contains("Worker worker-0 stopped") && log.contains("Worker worker-1 stopped"),
                    "workers closed gracefully\n" + log);
            assertTrue(log.matches("(?s).*Master master-\\S+ stopped.*"), "master closed gracefully\n" + log);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void shipsTheExamplePluginAsAFolderToCopyNotAsAnActivePlugin() {
        assertEquals(1, jarsIn(distribution.resolve("examples/plugins").resolve(EXAMPLE_PLUGIN)),
                "one JAR in examples/plugins/" + EXAMPLE_PLUGIN);
        assertFalse(Files.exists(distribution.resolve("plugins").resolve(EXAMPLE_PLUGIN)), "the example plugin is active");
        assertFalse(libHas("ember-example-shortest-first-scheduler"), "the example plugin leaked into lib/");
        assertFalse(Files.exists(distribution.resolve("conf/scheduler-shortest-first.properties")),
                "a conf template for a policy the distribution does not activate");
    }

    @Test
    void theExamplePluginJarHoldsOnlyItsOwnClassesAndDeclaresTheBundledPluginsApiVersion() throws IOException {
        Path jar = onlyJar(distribution.resolve("examples/plugins").resolve(EXAMPLE_PLUGIN));
        String bundledApiVersion = manifest(onlyJar(distribution.resolve("plugins/scheduler-fifo"))).getValue("Ember-Api-Version");
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes manifest = file.getManifest().getMainAttributes();
            assertNotNull(bundledApiVersion, "the bundled fifo plugin declares its API version");
            assertEquals(bundledApiVersion, manifest.getValue("Ember-Api-Version"), jar.toString());
            assertNotNull(manifest.getValue("Implementation-Version"), "the version ember plugins shows");
            JarEntry services = file.getJarEntry("META-INF/services/io.ember.api.plugin.Plugin");
            assertNotNull(services, "no services file in " + jar);
            try (InputStream in = file.getInputStream(services)) {
                assertEquals("io.ember.examples.shortestfirst.ShortestFirstPlugin",
                        new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            }
            List<String> classes = file.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class")).toList();
            assertFalse(classes.isEmpty(), jar.toString());
            assertTrue(classes.stream().allMatch(n -> n.startsWith("io/ember/examples/shortestfirst/")),
                    "the JAR bundles classes other than its own (the API is provided by the host): " + classes);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theExamplePluginCopiedIntoPluginsIsListedAndItsPolicySelectable(@TempDir Path tmp) throws Exception {
        EmberCommand.Result before = new EmberCommand(distribution).run("plugins", "--conf", "ember.scheduler=shortest-first");
        assertEquals(1, before.exitCode(), "not active until copied\n" + before);
        assertTrue(before.stderr().contains("no scheduler policy named 'shortest-first'"), before.toString());

        Path home = withExamplePlugin(tmp);
        EmberCommand.Result result = new EmberCommand(home).run("plugins", "--conf", "ember.scheduler=shortest-first");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(Pattern.compile("(?m)^  " + EXAMPLE_PLUGIN + " +\\S+ +\\d+\\.\\d+ +scheduler:shortest-first +"
                + Pattern.quote(home.resolve("plugins").resolve(EXAMPLE_PLUGIN).toString()) + "$")
                .matcher(result.stdout()).find(), "the plugin, its policy and its folder are listed\n" + result);
        assertTrue(Pattern.compile("(?m)^  scheduler +shortest-first +" + EXAMPLE_PLUGIN + " +application setting$")
                .matcher(result.stdout()).find(), "the policy is selected from the plugin\n" + result);
        assertTrue(result.stdout().contains("Refused: none"), result.toString());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theExamplePluginReadsItsSettingFromItsOwnConfFile(@TempDir Path tmp) throws Exception {
        Path home = withExamplePlugin(tmp);
        Path conf = home.resolve("conf/scheduler-shortest-first.properties");
        Files.writeString(conf, "starvationLimit=0\n");

        EmberCommand.Result refused = new EmberCommand(home).run("plugins", "--conf", "ember.scheduler=shortest-first");

        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("ember.scheduler.shortest-first.starvationLimit "
                + "(conf/scheduler-shortest-first.properties:1): '0' is not allowed; expected an integer, at least 1"),
                refused.toString());

        Files.writeString(conf, "starvationLimit=20\n");
        EmberCommand.Result accepted = new EmberCommand(home).run("plugins", "--conf", "ember.scheduler=shortest-first");
        assertEquals(0, accepted.exitCode(), accepted.toString());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theExamplePluginCopiedIntoPluginsSchedulesAShortJobAheadOfALongOne(@TempDir Path tmp) throws Exception {
        Path home = withExamplePlugin(tmp);
        String jar = home.resolve("examples").resolve(examplesJar().getFileName()).toString();
        EmberCommand ember = new EmberCommand(home);

        // No task queued ahead at an executor: each core takes its next task when it is free, from the policy.
        EmberCommand.Result shortestFirst = ember.run("submit", "--master", "local-cluster[2,1]",
                "--conf", "ember.scheduler=shortest-first", "--conf", "ember.task.launchAhead=0",
                "--class", "io.ember.examples.ShortestFirst", jar);
        EmberCommand.Result fifo = ember.run("submit", "--master", "local-cluster[2,1]",
                "--conf", "ember.scheduler=fifo", "--conf", "ember.task.launchAhead=0",
                "--class", "io.ember.examples.ShortestFirst", jar);

        assertEquals(0, shortestFirst.exitCode(), shortestFirst.toString());
        assertTrue(shortestFirst.stderr().contains("Loaded plugin " + EXAMPLE_PLUGIN + " "), shortestFirst.toString());
        assertTrue(shortestFirst.stderr().contains("Jobs are scheduled by the 'shortest-first' scheduler"),
                "the driver names the policy it schedules with\n" + shortestFirst);
        assertTrue(shortestFirst.stdout().contains("Long job: 40 tasks of 100 ms, submitted first; short job: 2 tasks "
                + "of 100 ms, submitted once the long job's first task has started\n"), shortestFirst.toString());
        assertTrue(shortestFirst.stdout().contains("Finished first: the short job (scheduler: shortest-first)\n"),
                shortestFirst.toString());
        assertTrue(finishedBefore(shortestFirst.stderr(), 1, 0), "the driver finished the short job (1) first\n"
                + shortestFirst);

        assertEquals(0, fifo.exitCode(), fifo.toString());
        assertTrue(fifo.stderr().contains("Jobs are scheduled by the 'fifo' scheduler"), fifo.toString());
        assertTrue(fifo.stdout().contains("Finished first: the long job (scheduler: fifo)\n"), fifo.toString());
        assertTrue(finishedBefore(fifo.stderr(), 0, 1), "the driver finished the long job (0) first\n" + fifo);
    }

    private static long jarsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A copy of the distribution with the example plugin copied into its plugins/, as the tutorial says. */
    private Path withExamplePlugin(Path tmp) throws IOException {
        Path home = copyOf(distribution, tmp.resolve("ember"));
        copyOf(home.resolve("examples/plugins").resolve(EXAMPLE_PLUGIN), home.resolve("plugins").resolve(EXAMPLE_PLUGIN));
        return home;
    }

    /** Whether the driver logged the end of job {@code first} before that of job {@code second}. */
    private static boolean finishedBefore(String log, int first, int second) {
        int firstAt = log.indexOf("Finished job " + first + " (");
        int secondAt = log.indexOf("Finished job " + second + " (");
        return firstAt >= 0 && secondAt >= 0 && firstAt < secondAt;
    }

    private static Path onlyJar(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
            assertEquals(1, jars.size(), "JARs in " + dir + ": " + jars);
            return jars.get(0);
        }
    }

    private static Attributes manifest(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes();
        }
    }

    private Path examplesJar() throws IOException {
        try (Stream<Path> files = Files.list(distribution.resolve("examples"))) {
            return files.filter(p -> p.getFileName().toString().matches("ember-examples-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ember-examples JAR in " + distribution.resolve("examples")));
        }
    }

    private static boolean jarHas(Path jar, String entry) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry(entry) != null;
        }
    }

    private boolean libHas(String prefix) {
        try (Stream<Path> files = Files.list(distribution.resolve("lib"))) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path copyOf(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    /** Entry names of a .tar.gz, read with the JDK alone (ustar/posix headers, 512-byte blocks). */
    private static List<String> tarEntries(Path tarball) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball))) {
            byte[] header = new byte[512];
            String pendingLongName = null;
            while (in.readNBytes(header, 0, 512) == 512) {
                String name = field(header, 0, 100);
                if (name.isEmpty()) {
                    break;
                }
                String prefix = field(header, 345, 155);
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] body = in.readNBytes((int) ((size + 511) / 512 * 512));
                if (type == 'x') {
                    pendingLongName = paxPath(new String(body, 0, (int) size, StandardCharsets.UTF_8));
                    continue;
                }
                String full = pendingLongName != null ? pendingLongName : (prefix.isEmpty() ? name : prefix + "/" + name);
                pendingLongName = null;
                names.add(full);
            }
        }
        return names;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    /** Milliseconds from the first log line holding {@code from} to the last holding {@code to} (same day). */
    private static long millisBetween(String log, String from, String to) {
        List<String> lines = log.lines().toList();
        LocalTime start = lines.stream().filter(line -> line.contains(from)).findFirst().map(DistributionIT::time)
                .orElseThrow(() -> new AssertionError("no line with " + from + "\n" + log));
        LocalTime end = lines.stream().filter(line -> line.contains(to) && line.contains(" stopped")).reduce((a, b) -> b)
                .map(DistributionIT::time).orElseThrow(() -> new AssertionError("no line with " + to + "\n" + log));
        return Duration.between(start, end).toMillis();
    }

    private static LocalTime time(String line) {
        Matcher time = LOG_TIME.matcher(line);
        assertTrue(time.find(), "a log line starts with its time: " + line);
        return LocalTime.parse(time.group(1));
    }
}
