package io.ember.core.worker;

import io.ember.core.testing.Eventually;
import static io.ember.core.worker.TestingExecutors.awaitMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops real executor JVMs. Exit codes are Unix's (128 + signal), so these tests run on Linux and
 * macOS only.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
final class ExecutorProcessTest {

    private static final int SIGTERM_EXIT = 128 + 15;
    private static final int SIGKILL_EXIT = 128 + 9;
    /** Far above what a stop should take, to catch a hang, not to measure speed. */
    private static final Duration SLACK = Duration.ofSeconds(20);

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
    void stopEndsAnExecutorThatHonoursSigterm() throws Exception {
        Path marker = executors.file("marker");
        ExecutorProcess process = executors.launch("app-1", "1", marker.toString(), "wait-forever");
        awaitMarker(process, marker);

        long start = System.nanoTime();
        int code = process.stop(Duration.ofMinutes(5));

        assertEquals(SIGTERM_EXIT, code, "exit code after SIGTERM");
        assertTrue(System.nanoTime() - start < SLACK.toNanos(), "stop waited for the whole grace period");
        assertFalse(process.isAlive());
        assertTrue(process.stopRequested());
        assertEquals(SIGTERM_EXIT, process.onExit().get(60, TimeUnit.SECONDS));
    }

    @Test
    void stopKillsAnExecutorWhoseShutdownHookBlocksOnceTheGracePeriodIsOver() throws Exception {
        Path marker = executors.file("marker");
        Path hookMarker = executors.file("hook-ran");
        ExecutorProcess process = executors.launch("app-1", "1", marker.toString(), "block-shutdown",
                hookMarker.toString());
        awaitMarker(process, marker);
        Duration grace = Duration.ofSeconds(2);

        long start = System.nanoTime();
        int code = process.stop(grace);
        long took = System.nanoTime() - start;

        assertEquals(SIGKILL_EXIT, code, "exit code after SIGKILL");
        assertTrue(Files.exists(hookMarker), "SIGTERM came first and started the shutdown hooks");
        assertTrue(took >= grace.toNanos(), "killed before the grace period was over: " + took + " ns");
        assertTrue(took < grace.plus(SLACK).toNanos(), "took " + took + " ns");
        assertFalse(process.isAlive());
    }

    @Test
    void stopWithoutGraceKillsAtOnce() throws Exception {
        Path marker = executors.file("marker");
        ExecutorProcess process = executors.launch("app-1", "1", marker.toString(), "block-shutdown",
                executors.file("hook-ran").toString());
        awaitMarker(process, marker);

        assertEquals(SIGKILL_EXIT, process.stop(Duration.ZERO));
    }

    @Test
    void stopEndsTheProcessesTheExecutorStarted() throws Exception {
        WithChild launched = launchWithChild("wait-forever");

        launched.executor().stop(Duration.ofSeconds(30));

        ProcessHandle child = launched.child();
        Eventually.await(() -> !child.isAlive(), () -> "the executor's child " + child.pid() + " to end");
    }

    @Test
    void stopKillsAChildThatIgnoresSigterm() throws Exception {
        WithChild launched = launchWithChild("block-shutdown", executors.file("child-hook-ran").toString());

        assertEquals(SIGTERM_EXIT, launched.executor().stop(Duration.ofSeconds(30)));

        ProcessHandle child = launched.child();
        Eventually.await(() -> !child.isAlive(), () -> "the executor's child " + child.pid() + " to end");
    }

    private record WithChild(ExecutorProcess executor, ProcessHandle child) {
    }

    /** Launches an executor that starts a child in the given mode. */
    private WithChild launchWithChild(String... childMode) throws Exception {
        Path marker = executors.file("marker");
        Path childMarker = executors.file("child");
        List<String> arguments = new ArrayList<>(List.of(marker.toString(), "spawn", childMarker.toString()));
        arguments.addAll(List.of(childMode));
        ExecutorProcess executor = executors.launch("app-1", "1", TestingExecutors.command(List.of(), arguments));
        long childPid = Long.parseLong(awaitMarker(executor, marker).getProperty("childPid"));
        awaitMarker(childMarker);
        ProcessHandle child = executors.track(childPid);
        assertTrue(child.isAlive());
        return new WithChild(executor, child);
    }

    @Test
    void stopIsIdempotentAndReturnsTheExitCodeOfAnExecutorThatAlreadyExited() throws Exception {
        ExecutorProcess process = executors.launch("app-1", "1", executors.file("marker").toString(), "exit", "5");
        assertEquals(5, process.onExit().get(60, TimeUnit.SECONDS));

        assertEquals(5, process.stop(Duration.ofSeconds(1)));
        assertEquals(5, process.stop(Duration.ZERO));
    }

    @Test
    void stopAfterStopReturnsTheSameCode() throws Exception {
        Path marker = executors.file("marker");
        ExecutorProcess process = executors.launch("app-1", "1", marker.toString(), "wait-forever");
        awaitMarker(process, marker);

        assertEquals(SIGTERM_EXIT, process.stop(Duration.ofSeconds(30)));
        assertEquals(SIGTERM_EXIT, process.stop(Duration.ofSeconds(30)));
    }

    @Test
    void stopOnAnInterruptedThreadKillsAtOnceAndKeepsTheInterrupt() throws Exception {
        Path marker = executors.file("marker");
        ExecutorProcess process = executors.launch("app-1", "1", marker.toString(), "block-shutdown",
                executors.file("hook-ran").toString());
        awaitMarker(process, marker);

        Thread.currentThread().interrupt();
        try {
            assertEquals(SIGKILL_EXIT, process.stop(Duration.ofMinutes(5)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void onExitReturnsAFutureEachCallerOwns() throws Exception {
        Path marker = executors.file("marker");
        ExecutorProcess process = executors.launch("app-1", "1", marker.toString(), "wait-forever");
        awaitMarker(process, marker);

        process.onExit().complete(42);

        assertFalse(process.onExit().isDone());
        assertEquals(SIGKILL_EXIT, process.stop(Duration.ZERO));
        assertEquals(SIGKILL_EXIT, process.onExit().get(60, TimeUnit.SECONDS));
    }

    @Test
    void refusesANegativeGracePeriod() throws Exception {
        ExecutorProcess process = executors.launch("app-1", "1", executors.file("marker").toString(), "exit", "0");

        assertThrows(IllegalArgumentException.class, () -> process.stop(Duration.ofSeconds(-1)));
    }
}
