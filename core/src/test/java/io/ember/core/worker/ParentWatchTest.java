package io.ember.core.worker;

import static io.ember.core.worker.TestingExecutors.awaitMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.executor.ParentWatch;
import io.ember.core.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed with -9 leaves no executor behind: the test starts a "worker" process A, which
 * starts an "executor" B that calls {@link ParentWatch}; then kills A with SIGKILL and waits for B
 * to exit on its own.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
final class ParentWatchTest {

    @TempDir
    Path dir;

    @Test
    void executorExitsWhenItsParentIsKilled() throws Exception {
        Path workerMarker = dir.resolve("worker");
        Path executorMarker = dir.resolve("executor");
        Path deathMarker = dir.resolve("parent-died");
        List<String> command = new ArrayList<>(TestingExecutors.command(List.of(), List.of(
                workerMarker.toString(), "spawn", executorMarker.toString(), "watch-parent", deathMarker.toString()))
                .toArgv());
        Process worker = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        ProcessHandle executor = null;
        try {
            long executorPid = Long.parseLong(awaitMarker(workerMarker).getProperty("childPid"));
            Properties executorStarted = awaitMarker(executorMarker);
            executor = ProcessHandle.of(executorPid).orElseThrow();
            assertEquals("true", executorStarted.getProperty("watching"));
            assertEquals(worker.pid(), executor.parent().orElseThrow().pid());

            worker.destroyForcibly(); // SIGKILL: the worker gets no chance to stop its executor

            ProcessHandle watched = executor;
            Eventually.await(() -> !watched.isAlive(), () -> "executor " + executorPid + " to exit after its parent died");
            assertTrue(Files.exists(deathMarker), "onParentDeath ran");
        } finally {
            worker.destroyForcibly();
            if (executor != null) {
                executor.destroyForcibly();
            }
        }
    }
}
