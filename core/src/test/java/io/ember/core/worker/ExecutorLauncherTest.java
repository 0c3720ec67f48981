package io.ember.core.worker;

import static io.ember.core.worker.TestingExecutors.HEAP;
import static io.ember.core.worker.TestingExecutors.awaitMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts real executor JVMs ({@link TestingExecutorMain}) with the test JVM's java and class path. */
final class ExecutorLauncherTest {

    @TempDir
    Path dir;

    private TestingExecutors executors;

    @BeforeEach
    void setUp() {
        executors = new TestingExecutors(dir);
    }

    @AfterEach
    void tearDown() {
        executors.close();
    }

    @Test
    void runsTheCommandInTheWorkDirectoryWithItsArgumentsAndHeap() throws Exception {
        Path marker = executors.file("marker");
        ExecutorProcess process = executors.launch("app-1", "3", marker.toString(), "exit", "0");

        Properties started = awaitMarker(process, marker);
        Path workDir = executors.launcher().workDirectories().root().resolve("app-1").resolve("3");
        assertEquals(workDir, process.workDir());
        assertEquals(workDir.toString(), started.getProperty("workingDir"));
        assertEquals(marker + " exit 0", started.getProperty("args"));
        assertEquals(Long.toString(process.pid()), started.getProperty("pid"));
        long maxMemory = Long.parseLong(started.getProperty("maxMemory"));
        // maxMemory() is -Xmx, less a survivor space with some collectors.
        assertTrue(maxMemory <= HEAP && maxMemory > HEAP / 2, "maxMemory " + maxMemory + " for -Xmx" + HEAP);
        assertEquals(0, process.onExit().get(60, TimeUnit.SECONDS));
    }

    @Test
    void reportsTheExitCode() throws Exception {
        ExecutorProcess process = executors.launch("app-1", "1", executors.file("marker").toString(), "exit", "7");

        assertEquals(7, process.onExit().get(60, TimeUnit.SECONDS));
        assertFalse(process.isAlive());
    }

    @Test
    void appendsStandardOutputAndErrorToFilesInTheWorkDirectory() throws Exception {
        Path marker = executors.file("marker");
        ExecutorProcess first = executors.launch("app-1", "1", marker.toString(), "exit", "0");
        first.onExit().get(60, TimeUnit.SECONDS);
        ExecutorProcess second = executors.launch("app-1", "1", marker.toString(), "exit", "0");
        second.onExit().get(60, TimeUnit.SECONDS);

        assertEquals(first.workDir().resolve("stdout"), first.stdout());
        assertEquals(first.workDir().resolve("stderr"), first.stderr());
        assertEquals(List.of("args: " + marker + " exit 0", "args: " + marker + " exit 0"),
                Files.readAllLines(first.stdout()));
        assertEquals(List.of("stderr of " + first.pid(), "stderr of " + second.pid()),
                Files.readAllLines(first.stderr()));
    }

    @Test
    void passesTheExtraEnvironment() throws Exception {
        Path marker = executors.file("marker");
        ExecutorCommand command = new ExecutorCommand(ExecutorCommand.currentJava(),
                ExecutorCommand.currentClassPath(), HEAP, List.of(), TestingExecutorMain.class.getName(),
                List.of(marker.toString(), "exit", "0"), Map.of("EMBER_TEST_VARIABLE", "x y"));
        ExecutorProcess process = executors.launch("app-1", "1", command);

        assertEquals("x y", awaitMarker(process, marker).getProperty("EMBER_TEST_VARIABLE"));
    }

    @Test
    void failsWithAMessageNamingAMissingJavaExecutable() {
        Path missing = dir.resolve("no-such-jdk").resolve("bin").resolve("java");
        ExecutorCommand command = new ExecutorCommand(missing, ExecutorCommand.currentClassPath(), HEAP,
                List.of(), TestingExecutorMain.class.getName(), List.of(), Map.of());

        IOException e = assertThrows(IOException.class, () -> executors.launch("app-1", "1", command));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("executor 1 of application app-1"), e.getMessage());
    }

    @Test
    void failsWithAMessageNamingAJavaExecutableOnThePathThatIsNotThere() {
        ExecutorCommand command = new ExecutorCommand(Path.of("no-such-java-on-the-path"),
                ExecutorCommand.currentClassPath(), HEAP, List.of(), TestingExecutorMain.class.getName(),
                List.of(), Map.of());

        IOException e = assertThrows(IOException.class, () -> executors.launch("app-1", "1", command));
        assertTrue(e.getMessage().contains("no-such-java-on-the-path"), e.getMessage());
    }

    @Test
    void refusesAnInvalidIdBeforeStartingAnything() {
        assertThrows(IllegalArgumentException.class, () -> executors.launch("../app", "1", "x", "exit", "0"));
        assertFalse(Files.exists(dir.resolve("app")));
    }

    /**
     * Ember's default {@code -Xshare:auto} makes an executor map the JDK's class-data-sharing archive,
     * which is what saves its start-up time, even when its environment turns sharing off.
     */
    @Test
    void startsExecutorsWithClassDataSharingEvenWhenTheirEnvironmentTurnsItOff() throws Exception {
        Path archive = Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa");
        assumeTrue(Files.exists(archive), "this JDK has no class-data-sharing archive at " + archive);
        Path marker = executors.file("marker");
        ExecutorCommand command = new ExecutorCommand(ExecutorCommand.currentJava(),
                ExecutorCommand.currentClassPath(), HEAP, List.of(), TestingExecutorMain.class.getName(),
                List.of(marker.toString(), "exit", "0"), Map.of("JAVA_TOOL_OPTIONS", "-Xshare:off"));

        ExecutorProcess process = executors.launch("app-1", "1", command);

        String vmInfo = awaitMarker(process, marker).getProperty("vmInfo");
        assertTrue(vmInfo.contains("sharing"), "the executor's java.vm.info is '" + vmInfo + "'");
    }
}
