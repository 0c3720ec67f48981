package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * An executor's process ended by itself with a non-zero exit code, as its worker saw it (the cluster
 * tells the driver): what the task scheduler needs to decide whether the tasks it ran failed.
 *
 * <p>An exit counts against the tasks the executor was running when the application caused it: the
 * process exited with a code it chose, ran out of heap ({@code -XX:+ExitOnOutOfMemoryError} exits
 * with 3), or crashed (a fatal signal of its own, such as SIGSEGV or SIGABRT). An exit by a signal
 * someone else sends to end a process (SIGHUP, SIGINT, SIGKILL, SIGTERM: an operator, a machine
 * going down) does not, nor does an executor that ended without one of these reports (lost with its
 * worker, stopped by Ember).
 *
 * @param executorId the executor
 * @param workerId the worker it ran on
 * @param exitCode its exit code: the code it chose, or 128 + the number of the signal that ended it
 * @param lastOutput the last line it wrote, introduced by where ({@code "its stderr ends: ..."}); empty
 *     when it wrote none
 */
public record ExecutorExit(String executorId, String workerId, int exitCode, String lastOutput) {

    /** 128 + SIGHUP, SIGINT, SIGKILL, SIGTERM: how a process ends when someone else ends it. */
    private static final Set<Integer> ENDED_FROM_OUTSIDE = Set.of(129, 130, 137, 143);

    public ExecutorExit {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(workerId, "workerId is null");
        requireNonNull(lastOutput, "lastOutput is null");
    }

    /** Whether the application caused the exit (see the class comment): then its running tasks failed. */
    public boolean causedByApplication() {
        return exitCode != 0 && !ENDED_FROM_OUTSIDE.contains(exitCode);
    }

    /** One phrase: {@code exited with code 3 (worker w-1; its stdout ends: ...)}. */
    public String describe() {
        return "exited with code " + exitCode + " (worker " + workerId + (lastOutput.isEmpty() ? "" : "; " + lastOutput)
                + ")";
    }
}
