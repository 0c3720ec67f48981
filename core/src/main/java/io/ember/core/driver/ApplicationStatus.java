package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.core.driver.client.ApplicationEvents;
import io.ember.core.driver.client.ExecutorFailure;
import io.ember.core.scheduler.ExecutorExit;
import io.ember.core.scheduler.TaskScheduler;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the leader master says about the application, applied in the driver: a failed executor is
 * logged and handed to the {@link TaskScheduler} (whose tasks may then count as failed); why executors
 * are missing is kept for the messages that wait for them; the application given up fails every job,
 * and wakes whoever waits for executors ({@code onFailure}), in one ERROR line.
 *
 * <p>Thread-safe: events come on the RPC client's threads, the questions from any thread.
 */
final class ApplicationStatus implements ApplicationEvents {

    /** Logged as the cluster session's: these lines are about the application on its cluster. */
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSession.class);

    private final Supplier<String> applicationId;
    private final TaskScheduler scheduler;
    private final Runnable onFailure;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile String waiting = "";
    private volatile ExecutorFailure lastFailure;
    /** What the last executor that failed before registering wrote: the next with the same output logs at DEBUG. */
    private volatile String lastLaunchOutput;
    /** Forgets every map output written so far; set once by the context that tracks them. */
    private volatile Runnable shuffleFilesLost = () -> { };

    /**
     * @param applicationId the application's id, once registered
     * @param scheduler told of failed executors and of the application failing
     * @param onFailure runs once when the application failed (wakes those waiting for executors)
     */
    ApplicationStatus(Supplier<String> applicationId, TaskScheduler scheduler, Runnable onFailure) {
        this.applicationId = requireNonNull(applicationId, "applicationId is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.onFailure = requireNonNull(onFailure, "onFailure is null");
    }

    @Override
    public void executorFailed(ExecutorFailure executor) {
        lastFailure = executor;
        String output = executor.quotedOutput();
        String line = "Executor " + executor.executorId() + " of application " + applicationId.get() + " on worker "
                + executor.workerId() + " exited with code " + executor.exitCode()
                + (executor.beforeRegistering() ? " before it registered" : "") + (output.isEmpty() ? "" : "; " + output);
        if (executor.beforeRegistering() && output.equals(lastLaunchOutput)) {
            LOG.debug(line);
        } else {
            LOG.warn(line);
        }
        if (executor.beforeRegistering()) {
            lastLaunchOutput = output;
        }
        String last = executor.lastLine();
        scheduler.executorExited(new ExecutorExit(executor.executorId(), executor.workerId(), executor.exitCode(),
                last.isEmpty() ? "" : "its " + executor.stream() + " ends: " + last));
    }

    /** Runs {@code forgetOutputs} whenever the application's shuffle files may all be gone. */
    void whenShuffleFilesLost(Runnable forgetOutputs) {
        shuffleFilesLost = requireNonNull(forgetOutputs, "forgetOutputs is null");
    }

    @Override
    public void registeredAgainAfterSessionLoss() {
        LOG.warn("Application {} was registered again after the driver's ZooKeeper session expired; the cluster may "
                + "have ended it meanwhile and deleted its shuffle files, so every map output is computed again when "
                + "a job needs it", applicationId.get());
        shuffleFilesLost.run();
    }

    @Override
    public void waiting(String reason) {
        requireNonNull(reason, "reason is null");
        if (!reason.isEmpty() && !reason.equals(waiting)) {
            LOG.info("Application {} waits for executors: {}", applicationId.get(), reason);
        }
        waiting = reason;
    }

    @Override
    public void applicationFailed(String reason) {
        requireNonNull(reason, "reason is null");
        String message = "application " + applicationId.get() + " failed: " + reason;
        if (!failure.compareAndSet(null, message)) {
            return;
        }
        LOG.error("Application {} failed: {}", applicationId.get(), reason);
        scheduler.applicationFailed(message);
        onFailure.run();
    }

    /** Why the application failed ("application app-... failed: ..."), once it did. */
    Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Why executors are missing, as the leader names it; empty when it names nothing. */
    String waitingReason() {
        return waiting;
    }

    /**
     * What to say when fewer executors registered than awaited: the leader's reason, else what the last
     * failed executor wrote, else the question whether executors reach the driver at all.
     */
    String explainMissingExecutors(String driverAddress) {
        String reason = waiting;
        if (!reason.isEmpty()) {
            return ": " + reason;
        }
        ExecutorFailure last = lastFailure;
        if (last != null) {
            String output = last.quotedOutput();
            return "; the last executor to fail, " + last.executorId() + " on worker " + last.workerId()
                    + ", exited with code " + last.exitCode() + (output.isEmpty() ? "" : "; " + output);
        }
        return " (do executors reach the driver at " + driverAddress + "? a worker's log says why an executor "
                + "did not start)";
    }
}
