package io.ember.allocation.dynamic;

import static java.util.Objects.requireNonNull;

import io.ember.allocation.dynamic.ExecutorIdleTracker.IdleExecutor;
import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.ExecutorAllocationClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elastic executor allocation with Spark's semantics: grow exponentially while tasks wait, shrink
 * to what the tasks need when they stop waiting, and release executors that stay idle.
 *
 * <p>The policy keeps a <em>target</em>, the total it last asked the cluster for, always within
 * [{@code minExecutors}, {@code maxExecutors}]:
 * <ul>
 *   <li><b>Start.</b> {@link #start()} asks for the largest of {@code minExecutors},
 *       {@code initialExecutors} and the context's {@code configuredExecutors()}
 *       ({@code ember.executor.instances}), capped at {@code maxExecutors}. Until the first stage is
 *       submitted or an executor first times out, the target is not lowered (the application is
 *       "initializing"), so the initial executors survive until there is work.</li>
 *   <li><b>Need.</b> The executors the current tasks can use are
 *       {@code ceil((pending + running) × executorAllocationRatio / tasksPerExecutor)}, where
 *       {@code tasksPerExecutor = coresPerExecutor / coresPerTask}.</li>
 *   <li><b>Backlog.</b> Once tasks have been pending without a break for
 *       {@code schedulerBacklogTimeout}, the next tick raises the target to
 *       {@code max(target, live executors) + step}, but not beyond the need nor
 *       {@code maxExecutors}, and asks for that total. If the raise was a full {@code step}, the
 *       step doubles (1, 2, 4, 8, ...), otherwise it returns to 1; the next raise comes
 *       {@code sustainedSchedulerBacklogTimeout} after this one, while tasks stay pending. When no
 *       task is pending any more the backlog timer stops and the step returns to 1.</li>
 *   <li><b>Shrink.</b> On a tick where the need is below the target, the target drops to
 *       {@code max(need, minExecutors)} and that total is asked for (cancelling pending requests
 *       above it; the cluster kills nothing), and the step returns to 1.</li>
 *   <li><b>Idle.</b> On each tick, executors whose idle timeout has been reached (see
 *       {@link ExecutorIdleTracker}: {@code executorIdleTimeout}, or for executors holding cached
 *       blocks or tracked shuffle output, {@code cachedExecutorIdleTimeout} /
 *       {@code shuffleTracking.timeout}) are released, longest expired first, as long as the live
 *       executors left (those not already being released) stay at or above both
 *       {@code minExecutors} and the target. The target is updated before releases are decided.</li>
 * </ul>
 * A request the client could not send leaves the target as it was, so the next tick tries again.
 * Time is read only from the context's clock; time-based decisions are made in {@link #tick()}.
 * Each decision is logged at INFO in one line.
 *
 * <p>Threading: not thread-safe, as the {@link AllocationPolicy} contract allows: the host calls
 * {@link #start()}, events, ticks and {@link #close()} on one thread, one at a time. Events that
 * arrive before {@code start()} are recorded; events and ticks after {@code close()} are ignored.
 */
final class DynamicAllocationPolicy implements AllocationPolicy {

    private static final Logger log = LoggerFactory.getLogger(DynamicAllocationPolicy.class);

    private enum State { NEW, STARTED, CLOSED }

    private final DynamicAllocationSettings settings;
    private final String applicationId;
    private final ExecutorAllocationClient client;
    private final Clock clock;
    private final int tasksPerExecutor;
    private final int configuredExecutors;
    private final TaskBacklog tasks = new TaskBacklog();
    private final ExecutorIdleTracker executors;

    private State state = State.NEW;
    /** True until the first stage is submitted or an executor first times out; the target is not lowered meanwhile. */
    private boolean initializing = true;
    /** False while the current target has not reached the cluster (only after a failed initial request). */
    private boolean targetSent = true;
    private int target;
    /** Executors the next backlog raise adds at most. */
    private int step = 1;
    /** When tasks began waiting without a break; null when none wait. */
    private Instant backlogSince;
    /** When the next backlog raise is due; null when no task is pending. */
    private Instant nextRaiseAt;

    /**
     * @throws IllegalArgumentException when the context's cores per task are not between 1 and its
     *     cores per executor
     */
    DynamicAllocationPolicy(DynamicAllocationSettings settings, AllocationContext context) {
        this.settings = requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        this.applicationId = requireNonNull(context.applicationId(), "applicationId is null");
        this.client = requireNonNull(context.client(), "client is null");
        this.clock = requireNonNull(context.clock(), "clock is null");
        this.tasksPerExecutor = tasksPerExecutor(context.coresPerExecutor(), context.coresPerTask());
        this.configuredExecutors = context.configuredExecutors();
        this.executors = new ExecutorIdleTracker(settings);
        this.target = initialTarget(settings, configuredExecutors);
    }

    @Override
    public void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("dynamic allocation for " + applicationId + " cannot start: it is "
                    + state.name().toLowerCase(Locale.ROOT));
        }
        state = State.STARTED;
        targetSent = client.requestTotalExecutors(target);
        if (targetSent) {
            log.info("Requesting {} initial executor{} for {}: the largest of minExecutors {}, initialExecutors {} "
                            + "and ember.executor.instances {}, at most maxExecutors {}",
                    target, plural(target), applicationId, settings.minExecutors(), settings.initialExecutors(),
                    configuredExecutors, describeMax());
        } else {
            log.warn("Could not reach the cluster manager to request {} initial executors for {}; retrying on the next tick",
                    target, applicationId);
        }
    }

    @Override
    public void onStageSubmitted(int stageId, int taskCount) {
        if (state == State.CLOSED) {
            return;
        }
        initializing = false;
        tasks.stageSubmitted(stageId, taskCount);
        updateBacklogTimer(clock.instant());
    }

    @Override
    public void onStageCompleted(int stageId) {
        if (state == State.CLOSED) {
            return;
        }
        tasks.stageCompleted(stageId);
        updateBacklogTimer(clock.instant());
    }

    @Override
    public void onTaskStart(int stageId, String executorId) {
        if (state == State.CLOSED) {
            return;
        }
        Instant now = clock.instant();
        tasks.taskStarted(stageId);
        executors.taskStarted(executorId, now);
        updateBacklogTimer(now);
    }

    @Override
    public void onTaskEnd(int stageId, String executorId) {
        if (state == State.CLOSED) {
            return;
        }
        Instant now = clock.instant();
        tasks.taskEnded(stageId);
        executors.taskEnded(executorId, now);
        updateBacklogTimer(now);
    }

    @Override
    public void onExecutorAdded(String executorId) {
        if (state != State.CLOSED) {
            executors.executorAdded(executorId, clock.instant());
        }
    }

    @Override
    public void onExecutorRemoved(String executorId) {
        if (state != State.CLOSED) {
            executors.executorRemoved(executorId);
        }
    }

    /**
     * Whether an executor now holds cached blocks; such an idle executor waits for
     * {@code cachedExecutorIdleTimeout} instead of {@code executorIdleTimeout}.
     *
     * <p>TODO(api): API 1.0 has no block events; this hook waits for an
     * {@code AllocationPolicy.onCachedBlocksChanged(String executorId, boolean hasCachedBlocks)}.
     */
    void onCachedBlocksChanged(String executorId, boolean hasCachedBlocks) {
        if (state != State.CLOSED) {
            executors.cachedBlocks(executorId, hasCachedBlocks);
        }
    }

    /**
     * An executor wrote map output of a shuffle; with {@code shuffleTracking.enabled} such an idle
     * executor waits for {@code shuffleTracking.timeout}.
     *
     * <p>TODO(api): waits for {@code AllocationPolicy.onShuffleOutput(String executorId, int shuffleId)}.
     */
    void onShuffleOutput(String executorId, int shuffleId) {
        if (state != State.CLOSED) {
            executors.shuffleOutput(executorId, shuffleId);
        }
    }

    /**
     * A shuffle's files were cleaned up; its output keeps no executor any more.
     *
     * <p>TODO(api): waits for {@code AllocationPolicy.onShuffleRemoved(int shuffleId)}.
     */
    void onShuffleRemoved(int shuffleId) {
        if (state != State.CLOSED) {
            executors.shuffleRemoved(shuffleId);
        }
    }

    @Override
    public void tick() {
        if (state != State.STARTED) {
            return;
        }
        Instant now = clock.instant();
        if (!targetSent) {
            resendTarget();
        }
        List<IdleExecutor> expired = executors.timedOut(now);
        if (!expired.isEmpty()) {
            initializing = false;
        }
        updateTarget(now);
        if (!expired.isEmpty()) {
            release(expired);
        }
    }

    @Override
    public void close() {
        state = State.CLOSED;
    }

    /** The total this policy last asked for (or will ask for at start). */
    int target() {
        return target;
    }

    private void updateBacklogTimer(Instant now) {
        if (tasks.pendingTasks() > 0) {
            if (nextRaiseAt == null) {
                backlogSince = now;
                nextRaiseAt = Durations.plusSaturating(now, settings.schedulerBacklogTimeout());
            }
        } else if (nextRaiseAt != null) {
            backlogSince = null;
            nextRaiseAt = null;
            step = 1;
        }
    }

    private void updateTarget(Instant now) {
        if (initializing) {
            return;
        }
        int needed = executorsNeeded(tasks.pendingTasks() + tasks.runningTasks(),
                settings.executorAllocationRatio(), tasksPerExecutor);
        if (needed < target) {
            lowerTarget(needed);
        } else if (nextRaiseAt != null && !now.isBefore(nextRaiseAt)) {
            raiseTarget(needed, now);
        }
    }

    private void lowerTarget(int needed) {
        step = 1;
        int lowered = Math.max(needed, settings.minExecutors());
        if (lowered >= target) {
            return;
        }
        if (!send(lowered)) {
            return;
        }
        log.info("Lowering executor target to {} (previously {}): {} pending and {} running tasks need {}, "
                        + "minExecutors {}",
                lowered, target, tasks.pendingTasks(), tasks.runningTasks(), needed, settings.minExecutors());
        target = lowered;
    }

    private void raiseTarget(int needed, Instant now) {
        if (target >= settings.maxExecutors()) {
            log.debug("Not adding executors: target {} is already maxExecutors", target);
            step = 1;
            return;
        }
        long raised = (long) Math.max(target, executors.liveCount()) + step;
        raised = Math.min(raised, needed);
        raised = Math.max(Math.min(raised, settings.maxExecutors()), settings.minExecutors());
        int delta = (int) raised - target;
        if (delta <= 0) {
            step = 1;
            return;
        }
        if (!send((int) raised)) {
            return;
        }
        log.info("Requesting {} executor{} (total {}): {} tasks pending for {}, backlog step {}",
                delta, plural(delta), raised, tasks.pendingTasks(),
                Durations.format(Duration.between(backlogSince, now)), step);
        target = (int) raised;
        step = delta == step ? (int) Math.min(2L * step, Integer.MAX_VALUE) : 1;
        nextRaiseAt = Durations.plusSaturating(now, settings.sustainedSchedulerBacklogTimeout());
    }

    private void release(List<IdleExecutor> expired) {
        int remaining = executors.liveCount();
        List<IdleExecutor> chosen = new ArrayList<>();
        for (IdleExecutor idle : expired) {
            if (remaining - 1 < settings.minExecutors()) {
                log.debug("Keeping idle executor {}: {} executors left, minExecutors {}",
                        idle.executorId(), remaining, settings.minExecutors());
            } else if (remaining - 1 < target) {
                log.debug("Keeping idle executor {}: {} executors left, target {}", idle.executorId(), remaining, target);
            } else {
                chosen.add(idle);
                remaining--;
            }
        }
        if (chosen.isEmpty()) {
            return;
        }
        List<String> ids = chosen.stream().map(IdleExecutor::executorId).toList();
        if (!client.killExecutors(ids)) {
            log.warn("Could not reach the cluster manager to release idle executors {}; retrying on the next tick", ids);
            return;
        }
        executors.releaseRequested(ids);
        for (IdleExecutor idle : chosen) {
            log.info("Releasing executor {}: idle since {} ({} {})", idle.executorId(), idle.idleSince(),
                    idle.timeoutKey(), Durations.format(idle.timeout()));
        }
    }

    private void resendTarget() {
        targetSent = client.requestTotalExecutors(target);
        if (targetSent) {
            log.info("Requesting {} executor{} for {} (the earlier request could not be sent)",
                    target, plural(target), applicationId);
        }
    }

    /** Asks for {@code total}; on failure logs and leaves the target alone, so the next tick retries. */
    private boolean send(int total) {
        if (client.requestTotalExecutors(total)) {
            targetSent = true;
            return true;
        }
        log.warn("Could not reach the cluster manager to request {} executor{} in total (target stays {}); "
                + "retrying on the next tick", total, plural(total), target);
        return false;
    }

    private String describeMax() {
        return settings.maxExecutors() == Integer.MAX_VALUE ? "unbounded" : String.valueOf(settings.maxExecutors());
    }

    private static String plural(long count) {
        return count == 1 ? "" : "s";
    }

    /**
     * The start request: the largest of minExecutors, initialExecutors and the configured executor
     * instances, capped at maxExecutors.
     */
    static int initialTarget(DynamicAllocationSettings settings, int configuredExecutors) {
        int wanted = Math.max(Math.max(settings.minExecutors(), settings.initialExecutors()), configuredExecutors);
        return Math.min(wanted, settings.maxExecutors());
    }

    /**
     * {@code ceil(tasks × ratio / tasksPerExecutor)}, saturated at {@link Integer#MAX_VALUE}. A
     * product within floating-point error of a whole number is taken as that number (30 × 0.1 needs
     * 3 executors, not 4).
     */
    static int executorsNeeded(long tasks, double ratio, int tasksPerExecutor) {
        if (tasks <= 0) {
            return 0;
        }
        double exact = tasks * ratio / tasksPerExecutor;
        double whole = Math.floor(exact);
        double needed = exact - whole <= exact * 1e-12 ? whole : whole + 1;
        return (int) Math.max(1, Math.min(needed, Integer.MAX_VALUE));
    }

    private static int tasksPerExecutor(int coresPerExecutor, int coresPerTask) {
        if (coresPerTask < 1 || coresPerExecutor < coresPerTask) {
            throw new IllegalArgumentException("dynamic allocation needs ember.task.cpus (" + coresPerTask
                    + ") between 1 and ember.executor.cores (" + coresPerExecutor + ")");
        }
        return coresPerExecutor / coresPerTask;
    }
}
