package io.ember.core.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.worker.ExecutorCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link ExecutorMain} as a real process. */
final class ExecutorMainTest {

    @TempDir
    Path dir;

    @Test
    void aBadCommandLineIsOneLineOnStandardErrorAndExitCode2() throws Exception {
        List<String> command = new ArrayList<>(List.of(ExecutorCommand.currentJava().toString(), "-Xmx32m",
                "-cp", ExecutorCommand.currentClassPath(), ExecutorMain.class.getName(), "--app-id", "app-1",
                "--bogus", "x"));
        Path stderr = dir.resolve("stderr");
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the executor did not exit");
            assertEquals(ExecutorMain.USAGE_EXIT_CODE, process.exitValue());
            List<String> lines = Files.readAllLines(stderr);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("ember executor: unknown argument '--bogus'"), lines.get(0));
        } finally {
            process.destroyForcibly();
        }
    }
}
