package io.ember.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled distribution, run through {@code bin/ember} in real processes. */
final class DistributionIT {

    private static final List<String> BUNDLED = List.of("scheduler-fifo", "scheduler-fair", "allocation-dynamic", "shuffle-service");

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
        Process process = new EmberCommand(distribution).start(Map.of(), stdout, stderr,
                "local-cluster", "--workers", "2", "--cores", "1");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(stdout).contains("Master URL: ember://127.0.0.1:")
                    || !Files.readString(stderr).contains("registered with the leader master")) {
                assertTrue(process.isAlive(), "local-cluster exited early:\n" + Files.readString(stderr));
                assertTrue(System.nanoTime() < deadline, "no master URL and registered workers after 60 s:\n"
                        + Files.readString(stderr));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }

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

    private static long jarsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).count();
        } catch (IOException e) {
            return 0;
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
}
