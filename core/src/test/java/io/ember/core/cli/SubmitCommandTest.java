package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.bootstrap.LaunchContext;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ember submit} run in-process on application JARs compiled by the test: what the application
 * gets (arguments, system properties, class loader) and the errors of a bad command line or JAR.
 */
final class SubmitCommandTest {

    /**
     * Writes its arguments, then ember.master, ember.jars and ember.app.name, then whether the
     * context class loader is its own, one per line, to the file named by its first argument.
     */
    private static final String RECORDING_APP = """
            package app;
            import java.nio.file.*;
            import java.util.*;
            public class Recorder {
                public static void main(String[] args) throws Exception {
                    List<String> lines = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
                    lines.add("master=" + System.getProperty("ember.master"));
                    lines.add("jars=" + System.getProperty("ember.jars"));
                    lines.add("name=" + System.getProperty("ember.app.name"));
                    lines.add("extra=" + System.getProperty("ember.executor.instances"));
                    lines.add("own-loader=" + (Thread.currentThread().getContextClassLoader() == Recorder.class.getClassLoader()));
                    Files.write(Path.of(args[0]), lines);
                }
            }
            """;

    private static final String FAILING_APP = """
            package app;
            public class Failing {
                public static void main(String[] args) {
                    if (args[0].equals("state")) {
                        throw new IllegalStateException("the input is empty", new java.io.IOException("disk gone"));
                    }
                    String nothing = null;
                    nothing.length();
                }
            }
            """;

    private static final String DEPENDENCY = """
            package dep;
            public class Greeting {
                public static String greet(String name) {
                    return "hello " + name;
                }
            }
            """;

    private static final String APP_USING_DEPENDENCY = """
            package app;
            import java.nio.file.*;
            public class Greeter {
                public static void main(String[] args) throws Exception {
                    Files.writeString(Path.of(args[0]), dep.Greeting.greet(args[1]));
                }
            }
            """;

    private static final String LOGGING_APP = """
            package app;
            public class Logging {
                public static void main(String[] args) {
                    org.slf4j.LoggerFactory.getLogger("app.Logging").info("a line from the application");
                }
            }
            """;

    private static final String NO_MAIN_APP = """
            package app;
            public class NoMain {
                public static void main(String first, String second) {
                }
            }
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Properties savedProperties;

    @BeforeEach
    void saveSystemProperties() {
        savedProperties = (Properties) System.getProperties().clone();
    }

    @AfterEach
    void restoreSystemProperties() {
        System.setProperties(savedProperties);
    }

    @Test
    void runsMainWithTheArgumentsAfterTheJarAndTheSettingsAsSystemProperties() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Recorder", RECORDING_APP));
        Path record = dir.resolve("record.txt");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("app.Recorder", false,
                SubmitCommand.class.getClassLoader()), "the application is not on Ember's class path");

        int exit = run("submit", "--master", "local[3]", "--class", "app.Recorder", "--name", "recorder",
                "--conf", "ember.executor.instances=5", jar.toString(), record.toString(), "a", "--not-an-option", "b");

        assertEquals(0, exit, err.toString());
        assertEquals(List.of("a", "--not-an-option", "b", "master=local[3]", "jars=" + jar.toAbsolutePath(),
                "name=recorder", "extra=5", "own-loader=true"), Files.readAllLines(record));
    }

    /** With ember.console.logs=file (a terminal's default) the log lines go to a file, whose path is said once. */
    @Test
    void sendsTheLogLinesToAFileItNamesOnce() throws Exception {
        Path slf4j = Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = jar("app.jar", Map.of("app.Logging", LOGGING_APP), slf4j);
        Path logs = dir.resolve("logs");

        int exit = run("submit", "--class", "app.Logging", "--conf", "ember.console.logs=file", "--conf",
                "ember.console.logDir=" + logs, jar.toString());

        assertEquals(0, exit, err.toString());
        List<Path> files;
        try (Stream<Path> listed = Files.list(logs)) {
            files = listed.toList();
        }
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().startsWith("submit-Logging-"), files.toString());
        assertEquals("Log lines go to " + files.get(0), err.toString().strip());
        assertTrue(Files.readString(files.get(0)).contains("a line from the application"), Files.readString(files.get(0)));
    }

    @Test
    void appendsTheJarToTheConfiguredJarsAndNamesTheApplicationAfterItsClass() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Recorder", RECORDING_APP));
        Path record = dir.resolve("record.txt");

        Path dependency = jar("dep.jar", Map.of("dep.Greeting", DEPENDENCY));

        int exit = run("submit", "--class", "app.Recorder", "--conf", "ember.jars=" + dependency, jar.toString(),
                record.toString());

        assertEquals(0, exit, err.toString());
        assertEquals(List.of("master=null", "jars=" + dependency + "," + jar.toAbsolutePath(), "name=Recorder",
                "extra=null", "own-loader=true"), Files.readAllLines(record));
    }

    @Test
    void loadsTheOtherJarsOfEmberJarsWithTheApplication() throws Exception {
        Path dependency = jar("dep.jar", Map.of("dep.Greeting", DEPENDENCY));
        Path jar = jar("app.jar", Map.of("app.Greeter", APP_USING_DEPENDENCY), dependency);
        Path record = dir.resolve("record.txt");

        int exit = run("submit", "--class", "app.Greeter", "--conf", "ember.jars=" + dependency, jar.toString(),
                record.toString(), "ember");

        assertEquals(0, exit, err.toString());
        assertEquals("hello ember", Files.readString(record));
    }

    @Test
    void aMissingJarOfEmberJarsIsOneLineAndExitCode2() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Recorder", RECORDING_APP));
        Path missing = dir.resolve("missing.jar");
        assertEquals(2, run("submit", "--class", "app.Recorder", "--conf", "ember.jars=" + missing, jar.toString()));
        assertOneLine("ember submit: ember.jars names " + missing + ", which is not a readable file");
    }

    @Test
    void aMissingJarIsOneLineAndExitCode2() {
        assertEquals(2, run("submit", "--class", "app.Recorder", dir.resolve("nope.jar").toString()));
        assertOneLine("ember submit: application JAR " + dir.resolve("nope.jar") + " does not exist");
    }

    @Test
    void aFileThatIsNotAJarIsOneLineAndExitCode2() throws IOException {
        Path notAJar = Files.writeString(dir.resolve("app.jar"), "plain text");
        assertEquals(2, run("submit", "--class", "app.Recorder", notAJar.toString()));
        assertOneLine("ember submit: application JAR " + notAJar + " is not a JAR file");
    }

    @Test
    void aClassNotInTheJarIsOneLineAndExitCode2() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Recorder", RECORDING_APP));
        assertEquals(2, run("submit", "--class", "app.Missing", jar.toString()));
        assertOneLine("ember submit: class app.Missing not found in " + jar);
    }

    @Test
    void aClassOfEmberItselfIsNotAnApplicationClass() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Recorder", RECORDING_APP));
        assertEquals(2, run("submit", "--class", EmberCli.class.getName(), jar.toString()));
        assertOneLine("ember submit: class " + EmberCli.class.getName() + " not found in " + jar);
    }

    @Test
    void aClassWithoutAStandardMainIsOneLineAndExitCode2() throws Exception {
        Path jar = jar("app.jar", Map.of("app.NoMain", NO_MAIN_APP));
        assertEquals(2, run("submit", "--class", "app.NoMain", jar.toString()));
        assertOneLine("ember submit: class app.NoMain in " + jar + " has no 'public static void main(String[] args)'");
    }

    @Test
    void aConfWithoutEqualsIsOneLineAndExitCode2() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Recorder", RECORDING_APP));
        assertEquals(2, run("submit", "--class", "app.Recorder", "--conf", "ember.executor.instances", jar.toString()));
        assertOneLine("ember submit: --conf needs KEY=VALUE, got 'ember.executor.instances'");
    }

    @Test
    void aStopTimeoutThatIsNotADurationIsOneLineAndExitCode2() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Recorder", RECORDING_APP));
        assertEquals(2, run("submit", "--class", "app.Recorder", "--conf", "ember.driver.stopTimeout=soon",
                jar.toString()));
        assertOneLine("ember submit: ember.driver.stopTimeout: 'soon' is not a duration");
    }

    @Test
    void aMissingClassOptionIsOneLineAndExitCode2() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Recorder", RECORDING_APP));
        assertEquals(2, run("submit", jar.toString()));
        assertOneLine("ember submit: --class is required");
    }

    @Test
    void settingsAreNotSetWhenTheCommandLineIsWrong() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Recorder", RECORDING_APP));
        assertEquals(2, run("submit", "--master", "local[2]", "--class", "app.Missing", jar.toString()));
        assertEquals(savedProperties.getProperty("ember.master"), System.getProperty("ember.master"));
    }

    @Test
    void anExpectedFailureOfMainIsItsMessageAndCausesWithoutAStackTrace() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Failing", FAILING_APP));

        assertEquals(1, run("submit", "--class", "app.Failing", jar.toString(), "state"));

        String text = err.toString();
        assertTrue(text.startsWith("ember submit: app.Failing failed: IllegalStateException: the input is empty\n"
                + "  caused by: IOException: disk gone\n"), text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
    }

    @Test
    void anUnexpectedFailureOfMainShowsItsStackTrace() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Failing", FAILING_APP));

        assertEquals(1, run("submit", "--class", "app.Failing", jar.toString(), "bug"));

        String text = err.toString();
        assertTrue(text.startsWith("ember submit: app.Failing failed: NullPointerException: "), text);
        assertTrue(text.contains("app.Failing.main(Failing.java:"), text);
    }

    @Test
    void verbosePrintsTheStackTraceOfAnExpectedFailure() throws Exception {
        Path jar = jar("app.jar", Map.of("app.Failing", FAILING_APP));

        assertEquals(1, run("submit", "--verbose", "--class", "app.Failing", jar.toString(), "state"));

        assertTrue(err.toString().contains("app.Failing.main(Failing.java:"), err.toString());
    }

    private void assertOneLine(String expectedStart) {
        String text = err.toString().strip();
        assertTrue(text.startsWith(expectedStart), text);
        assertEquals(1, text.lines().count(), "one line, no stack trace: " + text);
    }

    private int run(String... args) {
        CommandLine commandLine = EmberCli.commandLine((confDir, settings) -> new LaunchContext(Optional.empty(),
                Optional.ofNullable(confDir), Map.of(), Map.of(), settings));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    /** Compiles the sources (class name to source) and packs their classes into a JAR. */
    private Path jar(String fileName, Map<String, String> sources, Path... classPath) throws IOException {
        Path work = Files.createDirectories(dir.resolve(fileName + ".build"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17"));
        if (classPath.length > 0) {
            arguments.add("-cp");
            arguments.add(Stream.of(classPath).map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        }
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = work.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = compiler.run(null, diagnostics, diagnostics, arguments.toArray(String[]::new));
        assertEquals(0, status, "compiling the test application: " + diagnostics.toString(StandardCharsets.UTF_8));
        Path jar = dir.resolve(fileName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }
}
