package io.ember.core.worker;

import io.ember.core.testing.Eventually;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Launches {@link TestingExecutorMain} processes with the test JVM's java and class path, and
 * kills every process it launched, and every descendant the tests hand it, on {@link #close()}.
 */
final class TestingExecutors implements AutoCloseable {

    static final long HEAP = 64L << 20;

    private final Path dir;
    private final ExecutorLauncher launcher;
    private final List<ExecutorProcess> launched = new ArrayList<>();
    private final List<ProcessHandle> descendants = new ArrayList<>();

    TestingExecutors(Path dir) {
        this.dir = dir;
        this.launcher = new ExecutorLauncher(new WorkDirectories(dir.resolve("work")));
    }

    ExecutorLauncher launcher() {
        return launcher;
    }

    /** A file for markers, outside the work directories. */
    Path file(String name) {
        return dir.resolve(name);
    }

    static ExecutorCommand command(List<String> jvmOptions, List<String> arguments) {
        return new ExecutorCommand(ExecutorCommand.currentJava(), ExecutorCommand.currentClassPath(), HEAP,
                jvmOptions, TestingExecutorMain.class.getName(), arguments, Map.of());
    }

    ExecutorProcess launch(String appId, String executorId, String... arguments) throws IOException {
        return launch(appId, executorId, command(List.of(), List.of(arguments)));
    }

    ExecutorProcess launch(String appId, String executorId, ExecutorCommand command) throws IOException {
        ExecutorProcess process = launcher.launch(appId, executorId, command);
        launched.add(process);
        return process;
    }

    /** Remembers a process the tests' processes started, to kill it on close. */
    ProcessHandle track(long pid) {
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        descendants.add(handle);
        return handle;
    }

    /** Waits for a marker file and reads it. */
    static Properties awaitMarker(Path marker) {
        Eventually.await(() -> Files.exists(marker), () -> "marker " + marker);
        return read(marker);
    }

    /** Waits for a marker an executor writes; on time-out, says how the executor is and what it printed. */
    static Properties awaitMarker(ExecutorProcess executor, Path marker) {
        Eventually.await(() -> Files.exists(marker), () -> "marker " + marker + " from " + executor
                + "; its stdout: " + readQuietly(executor.stdout()) + "; its stderr: " + readQuietly(executor.stderr()));
        return read(marker);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static Properties read(Path marker) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(marker)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    @Override
    public void close() {
        for (ExecutorProcess process : launched) {
            process.stop(Duration.ZERO);
        }
        for (ProcessHandle handle : descendants) {
            handle.destroyForcibly();
        }
    }
}
