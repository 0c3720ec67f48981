package io.ember.core.worker;

import io.ember.core.executor.ParentWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

/**
 * The main class of the executor processes the tests start:
 * {@code TestingExecutorMain <marker> <mode> [mode arguments]}.
 *
 * <p>It prints its arguments to standard output and a line to standard error, does what its mode
 * says, and then writes the marker file (atomically, as properties: {@code pid},
 * {@code maxMemory}, {@code workingDir}, {@code args}, {@code EMBER_TEST_VARIABLE} and, for modes that start a child,
 * {@code childPid}), so a test that sees the marker knows the set-up is done. Modes:
 * <ul>
 *   <li>{@code exit <code>}: exits with that code;
 *   <li>{@code wait <file>}: exits with 0 once the file exists;
 *   <li>{@code wait-forever}: runs until killed;
 *   <li>{@code block-shutdown <hook marker>}: runs until killed, with a shutdown hook that writes
 *       the hook marker and then blocks for ever, so SIGTERM alone cannot end it;
 *   <li>{@code spawn <child marker> <child mode> [child mode arguments]}: starts a child
 *       {@code TestingExecutorMain <child marker> <child mode> ...}, then runs until killed;
 *   <li>{@code watch-parent <death marker>}: calls {@link ParentWatch#exitWhenParentDies} with a
 *       callback that writes the death marker, then runs until its parent dies.
 * </ul>
 */
public final class TestingExecutorMain {

    private TestingExecutorMain() {
    }

    public static void main(String[] args) throws Exception {
        Path marker = Path.of(args[0]);
        String mode = args[1];
        System.out.println("args: " + String.join(" ", args));
        System.err.println("stderr of " + ProcessHandle.current().pid());
        System.out.flush();
        System.err.flush();

        Properties properties = new Properties();
        properties.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        properties.setProperty("maxMemory", Long.toString(Runtime.getRuntime().maxMemory()));
        properties.setProperty("workingDir", Path.of("").toAbsolutePath().toString());
        properties.setProperty("args", String.join(" ", args));
        properties.setProperty("EMBER_TEST_VARIABLE", System.getenv().getOrDefault("EMBER_TEST_VARIABLE", ""));
        // "mixed mode, sharing" when the JVM maps a class-data-sharing archive.
        properties.setProperty("vmInfo", System.getProperty("java.vm.info", ""));
        switch (mode) {
            case "exit" -> {
                write(marker, properties);
                System.exit(Integer.parseInt(args[2]));
            }
            case "wait" -> {
                write(marker, properties);
                Path file = Path.of(args[2]);
                while (!Files.exists(file)) {
                    LockSupport.parkNanos(5_000_000);
                }
                System.exit(0);
            }
            case "wait-forever" -> write(marker, properties);
            case "block-shutdown" -> {
                Path hookMarker = Path.of(args[2]);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    write(hookMarker, new Properties());
                    while (true) {
                        LockSupport.park();
                    }
                }));
                write(marker, properties);
            }
            case "spawn" -> {
                Process child = start(Arrays.copyOfRange(args, 2, args.length));
                properties.setProperty("childPid", Long.toString(child.pid()));
                write(marker, properties);
            }
            case "watch-parent" -> {
                Path deathMarker = Path.of(args[2]);
                boolean watching = ParentWatch.exitWhenParentDies(() -> write(deathMarker, new Properties()));
                properties.setProperty("watching", Boolean.toString(watching));
                write(marker, properties);
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        while (true) {
            LockSupport.park();
        }
    }

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ExecutorCommand.currentJava().toString(), "-Xmx32m", "-cp", ExecutorCommand.currentClassPath(),
                TestingExecutorMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Writes properties to a file so that readers never see it half-written. */
    static void write(Path file, Properties properties) {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary)) {
                properties.store(writer, null);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
