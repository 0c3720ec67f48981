package io.ember.distribution;

import static java.util.Objects.requireNonNull;

import io.ember.distribution.multihost.EmberDistribution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs an installed distribution's {@code bin/ember} as an operator would: a real process with a
 * clean environment (no {@code EMBER_*} variables inherited), killed if it outlives its deadline.
 */
final class EmberCommand {

    private static final long TIMEOUT_SECONDS = 120;


    private final Path home;

    EmberCommand(Path home) {
        this.home = requireNonNull(home, "home is null");
    }

    Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    Result run(Map<String, String> extraEnvironment, String... args) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("ember-out", ".txt");
        Path stderr = Files.createTempFile("ember-err", ".txt");
        return await(start(extraEnvironment, stdout, stderr, args), stdout, stderr, args);
    }

    /**
     * Runs {@code bin/ember} on a pseudo-terminal of its own, made by {@code script(1)}, as in a
     * terminal window: its standard output and error are the terminal, whose output (both, as the
     * terminal shows them) is the result's {@code stdout}.
     */
    Result runOnATerminal(String... args) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(home.resolve("bin/ember").toString()));
        line.addAll(List.of(args));
        String shellLine = line.stream().map(word -> "'" + word.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        Path stdout = Files.createTempFile("ember-out", ".txt");
        Path stderr = Files.createTempFile("ember-err", ".txt");
        Process process = startCommand(List.of("script", "--quiet", "--return", "--command", shellLine, "/dev/null"),
                Map.of(), stdout, stderr);
        return await(process, stdout, stderr, args);
    }

    private static Result await(Process process, Path stdout, Path stderr, String... args)
            throws IOException, InterruptedException {
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("ember " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** Starts {@code bin/ember} without waiting; the caller ends the process. */
    Process start(Map<String, String> extraEnvironment, Path stdout, Path stderr, String... args) throws IOException {
        return start(List.of(), extraEnvironment, stdout, stderr, args);
    }

    /**
     * Starts {@code bin/ember} through {@code launcher} (commands that end by executing the rest of
     * their command line in their own process, such as {@code setsid}: the process is then
     * {@code bin/ember}'s JVM) without waiting; the caller ends the process.
     */
    Process start(List<String> launcher, Map<String, String> extraEnvironment, Path stdout, Path stderr,
                  String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(home.resolve("bin/ember").toString());
        command.addAll(List.of(args));
        return startCommand(command, extraEnvironment, stdout, stderr);
    }

    private static Process startCommand(List<String> command, Map<String, String> extraEnvironment, Path stdout,
                                        Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("EMBER_"));
        builder.environment().put("EMBER_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("EMBER_JAVA_OPTS", EmberDistribution.TEST_JVM_OPTIONS);
        builder.environment().put("EMBER_EXECUTOR_JAVAOPTIONS", EmberDistribution.TEST_JVM_OPTIONS);
        builder.environment().putAll(extraEnvironment);
        return builder.start();
    }

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
