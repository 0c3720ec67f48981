package io.ember.core.master;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The last lines an executor process wrote before it failed, as its worker read them from whichever
 * of its output files was written last: what the leader quotes in its log and passes on to the
 * application's driver.
 *
 * @param stream {@code "stderr"} or {@code "stdout"}
 * @param lines the lines, oldest first; empty when the worker had none to give
 */
record ExecutorOutput(String stream, List<String> lines) {

    /** Nothing to quote. */
    static final ExecutorOutput NONE = new ExecutorOutput("stderr", List.of());

    ExecutorOutput {
        requireNonNull(stream, "stream is null");
        lines = List.copyOf(requireNonNull(lines, "lines is null"));
    }

    /** The lines on one line, for a log line: {@code "; its stderr ends: a | b"}, or empty when there are none. */
    String quoted() {
        return lines.isEmpty() ? "" : "; its " + stream + " ends: " + String.join(" | ", lines);
    }
}
