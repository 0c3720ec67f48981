package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An executor of the application ended by itself with a non-zero exit code, as the leader master
 * tells the driver (its worker did not stop it; an executor lost with its worker is not one).
 *
 * @param executorId the executor
 * @param workerId the worker it ran on
 * @param exitCode its process's exit code: the code it chose, or 128 + the number of the signal that
 *     ended it
 * @param beforeRegistering whether it ended before it registered (it never ran a task)
 * @param stream {@code "stderr"} or {@code "stdout"}: the file its {@code lastLines} come from, the one it
 *     wrote last
 * @param lastLines the last lines it wrote there, oldest first, stack frames left out; may be empty
 */
public record ExecutorFailure(String executorId, String workerId, int exitCode, boolean beforeRegistering,
                              String stream, List<String> lastLines) {

    public ExecutorFailure {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(workerId, "workerId is null");
        requireNonNull(stream, "stream is null");
        lastLines = List.copyOf(requireNonNull(lastLines, "lastLines is null"));
    }

    /** Its last lines on one line, {@code "its stderr ends: a | b"}, or empty when it wrote none. */
    public String quotedOutput() {
        return lastLines.isEmpty() ? "" : "its " + stream + " ends: " + String.join(" | ", lastLines);
    }

    /** The last line it wrote, or empty. */
    public String lastLine() {
        return lastLines.isEmpty() ? "" : lastLines.get(lastLines.size() - 1);
    }
}
