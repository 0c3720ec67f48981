package io.ember.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts JVMs on the test class path (a master, a worker, any main class), as real processes whose
 * output goes to files, and ends every one of them, by PID, when closed: tests use it in a
 * try-with-resources or an {@code @AfterEach}, so nothing outlives a failing test.
 */
public final class JavaProcesses implements AutoCloseable {

    private final Path logDir;
    private final List<Started> started = new ArrayList<>();

    public JavaProcesses(Path logDir) {
        this.logDir = logDir;
    }

    /** A started JVM: its process, and its combined stdout/stderr log. */
    public record Started(String name, Process process, Path log) {

        public long pid() {
            return process.pid();
        }

        public String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }

        /** kill -9: the process gets no chance to clean up, as in a crash. */
        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM with the test class path, the given
     * environment (no {@code EMBER_*} variables are inherited) and system properties.
     */
    public Started start(String name, String mainClass, List<String> jvmOptions, Map<String, String> environment,
                         String... args) throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dguice_bytecode_gen_option=DISABLED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("EMBER_"));
        builder.environment().putAll(environment);
        Started process = new Started(name, builder.start(), log);
        synchronized (started) {
            started.add(process);
        }
        return process;
    }

    /** Whether the process with this PID runs (a PID no process has is not alive). */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * kill -9 of the process with this PID, e.g. an executor a test crashes on purpose, and waits
     * up to 30 s until it has exited; fails the test when there is no such process or it does not
     * exit.
     */
    public static void kill(long pid) {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        if (!process.destroyForcibly()) {
            throw new AssertionError("kill -9 " + pid + " was refused");
        }
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new AssertionError("process " + pid + " did not exit within 30 s of kill -9", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for process " + pid + " to exit", e);
        }
    }

    /**
     * Pauses ({@code SIGSTOP}) or resumes ({@code SIGCONT}) the process with this PID through
     * {@code kill}; a paused process keeps its sockets, so the kernel still accepts connections to it
     * that nothing answers.
     *
     * @param signal {@code STOP} or {@code CONT}
     */
    public static void signal(long pid, String signal) {
        if (!signal.equals("STOP") && !signal.equals("CONT")) {
            throw new IllegalArgumentException("STOP or CONT: " + signal);
        }
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new AssertionError("kill -" + signal + " " + pid + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted sending SIG" + signal + " to " + pid, e);
        }
    }

    /** Kills (SIGKILL) every process this instance started, and their descendants. */
    @Override
    public void close() {
        List<Started> all;
        synchronized (started) {
            all = List.copyOf(started);
            started.clear();
        }
        for (Started process : all) {
            process.process().descendants().forEach(ProcessHandle::destroyForcibly);
            process.process().destroyForcibly();
        }
        for (Started process : all) {
            try {
                process.process().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
