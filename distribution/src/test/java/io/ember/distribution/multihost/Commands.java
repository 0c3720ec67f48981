package io.ember.distribution.multihost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs short system commands ({@code ip}, {@code tc}) to completion and returns what they printed;
 * a command that fails or hangs becomes one exception line naming the command and its error.
 * Stateless; safe from any thread.
 */
final class Commands {

    private static final long TIMEOUT_SECONDS = 30;

    private Commands() {
    }

    /** Runs {@code command}; its standard output, or an exception naming the command and its error output. */
    static String run(String... command) {
        Outcome outcome = attempt(command);
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + outcome.exitCode()
                    + "): " + outcome.stderr().strip());
        }
        return outcome.stdout();
    }

    /** Runs {@code command} and reports how it ended, without judging it. */
    static Outcome attempt(String... command) {
        return attempt(List.of(command));
    }

    static Outcome attempt(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return new Outcome(127, "", "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String stdout = read(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Outcome(124, stdout, String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Outcome(process.exitValue(), stdout, stderr.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            process.destroyForcibly();
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a command ended. */
    record Outcome(int exitCode, String stdout, String stderr) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }
}
