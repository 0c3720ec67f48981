package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts executor JVMs, each in its own work directory.
 *
 * <p>An executor's work directory ({@link WorkDirectories#create}) is also its working directory;
 * its standard output and error are appended to the files {@code stdout} and {@code stderr} there
 * (appended, so that a relaunch under the same ids keeps the earlier logs). Its standard input is
 * closed at once: an executor reads nothing from the worker.
 *
 * <p>The launcher keeps no record of what it started: the caller owns the returned
 * {@link ExecutorProcess}es and must stop them. It logs one INFO line when an executor starts and
 * one when it exits.
 *
 * <p>Thread-safe.
 */
public final class ExecutorLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorLauncher.class);

    private final WorkDirectories workDirectories;

    public ExecutorLauncher(WorkDirectories workDirectories) {
        this.workDirectories = requireNonNull(workDirectories, "workDirectories is null");
    }

    /** Where this launcher puts executors' work directories. */
    public WorkDirectories workDirectories() {
        return workDirectories;
    }

    /**
     * Creates the executor's work directory and starts its JVM there.
     *
     * @throws IllegalArgumentException when an id is not valid ({@link WorkDirectories})
     * @throws IOException when the work directory cannot be created or the process cannot be
     *     started; the message names the executor and the Java executable
     */
    public ExecutorProcess launch(String appId, String executorId, ExecutorCommand command) throws IOException {
        requireNonNull(command, "command is null");
        Path workDir = workDirectories.create(appId, executorId);
        Path java = command.javaExecutable();
        if (java.isAbsolute() && !Files.isRegularFile(java)) {
            throw new IOException(cannotStart(appId, executorId)
                    + ": the Java executable " + java + " does not exist");
        }
        if (java.isAbsolute() && !Files.isExecutable(java)) {
            throw new IOException(cannotStart(appId, executorId)
                    + ": the Java executable " + java + " is not executable");
        }

        List<String> argv = command.toArgv();
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(ExecutorProcess.STDOUT).toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(workDir.resolve(ExecutorProcess.STDERR).toFile()));
        builder.environment().putAll(command.environment());

        LOG.debug("Starting executor {} of application {}: {}", executorId, appId, argv);
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IOException(cannotStart(appId, executorId) + " with the Java executable " + java + ": "
                    + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Closing our end of a pipe does not fail in practice; the executor would then just never get EOF.
            LOG.debug("Could not close the standard input of executor {} of application {}", executorId, appId, e);
        }

        ExecutorProcess executor = new ExecutorProcess(appId, executorId, process, workDir);
        long startNanos = System.nanoTime();
        LOG.info("Started executor {} of application {} (pid {}, heap {}) in {}",
                executorId, appId, process.pid(), ExecutorCommand.heapSize(command.heapBytes()), workDir);
        process.onExit().thenRun(() -> logExit(executor, process.exitValue(), System.nanoTime() - startNanos));
        return executor;
    }

    private static void logExit(ExecutorProcess executor, int code, long ranNanos) {
        String ran = Durations.formatRounded(Duration.ofNanos(ranNanos));
        if (executor.stopRequested()) {
            LOG.info("Executor {} of application {} (pid {}) stopped by the worker, exit code {}, after {}",
                    executor.executorId(), executor.appId(), executor.pid(), code, ran);
        } else if (code == 0) {
            LOG.info("Executor {} of application {} (pid {}) exited with code 0 after {}",
                    executor.executorId(), executor.appId(), executor.pid(), ran);
        } else {
            LOG.info("Executor {} of application {} (pid {}) exited with code {} after {}; its output is in {}",
                    executor.executorId(), executor.appId(), executor.pid(), code, ran, executor.workDir());
        }
    }

    private static String cannotStart(String appId, String executorId) {
        return "Cannot start executor " + executorId + " of application " + appId;
    }

    @Override
    public String toString() {
        return "ExecutorLauncher[" + workDirectories.root() + "]";
    }
}
