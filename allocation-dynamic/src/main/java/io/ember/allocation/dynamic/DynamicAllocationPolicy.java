package io.ember.allocation.dynamic;

import static java.util.Objects.requireNonNull;

import io.ember.allocation.dynamic.ExecutorIdleTracker.IdleExecutor;
import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.ExecutorAllocationClient;
import io.ember.api.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 400 lines because its class comment is the policy's specification (90 lines, kept
// beside the code it describes); the idle clock is ExecutorIdleTracker and the backlog TaskBacklog.
/**
 * Elastic executor allocation with Spark's semantics: grow exponentially while tasks wait, shrink
 * to what the tasks need when they stop waiting, and release executors that stay idle.
 *
 * <p>The policy keeps a <em>target</em>, the total it last asked the cluster for, always within
 * [{@code minExecutors}, {@code maxExecutors}]:
 * <ul>
 *   <li><b>Start.</b> {@link #start()} asks for the largest of {@code minExecutors},
 *       {@code initialExecutors} and the context's {@code configuredExecutors()}
 *       ({@code ember.executor.instances}, when the application set it), capped at
 *       {@code maxExecutors}. The target is then
 *       <em>held</em>: until the next stage is submitted or an executor idles out, it is not
 *       lowered because the tasks need fewer, so the initial executors survive until there is
 *       work.</li>
 *   <li><b>Need.</b> The executors the current tasks can use are
 *       {@code ceil((pending + running) × executorAllocationRatio / tasksPerExecutor)}, where
 *       {@code tasksPerExecutor = coresPerExecutor / coresPerTask}. A task that ended without a
 *       result and runs again ({@link #onTaskResubmitted}) is pending again.</li>
 *   <li><b>Backlog.</b> Once tasks have been pending without a break for
 *       {@code schedulerBacklogTimeout}, the next tick raises the target to
 *       {@code max(target, live executors) + step}, but not beyond the need nor
 *       {@code maxExecutors}, and asks for that total. If the raise was a full {@code step}, the
 *       step doubles (1, 2, 4, 8, ...), otherwise it returns to 1; the next raise comes
 *       {@code sustainedSchedulerBacklogTimeout} after this one, while tasks stay pending. When no
 *       task is pending any more the backlog timer stops and the step returns to 1.</li>
 *   <li><b>Shrink.</b> On a tick where the need is below the target and the target is not held,
 *       the target drops to {@code max(need, minExecutors)} and that total is asked for
 *       (cancelling pending requests above it; the cluster kills nothing), and the step returns to
 *       1.</li>
 *   <li><b>Idle.</b> On each tick, executors whose idle timeout has been reached (see
 *       {@link ExecutorIdleTracker}: {@code executorIdleTimeout}, or for executors holding cached
 *       blocks or output of a shuffle a running job needs, {@code cachedExecutorIdleTimeout} /
 *       {@code shuffleTracking.timeout}) are released, longest expired first, as long as the live
 *       executors left (those not already being released) stay at or above both
 *       {@code minExecutors} and the target. The target is updated before releases are decided, and
 *       a release sends the (unchanged) target with the kill, so the cluster does not replace the
 *       executors released.</li>
 * </ul>
 *
 * <p>The application may steer the target itself (through {@code EmberContext}):
 * <ul>
 *   <li>{@link #requestTotalExecutors requestTotalExecutors(total)} sets the target to
 *       {@code total} clamped to [{@code minExecutors}, {@code maxExecutors}] and asks for it at
 *       once; the latest call wins. As at start, the target is then held until the next stage is
 *       submitted or an executor idles out (an executor whose timeout was reached before the call
 *       does not end the hold); backlog raises still apply meanwhile. A negative total is refused
 *       with {@link IllegalArgumentException}.</li>
 *   <li>{@link #requestExecutors requestExecutors(count)} is {@code requestTotalExecutors(target +
 *       count)}, saturating at {@link Integer#MAX_VALUE}; a negative count is refused.</li>
 *   <li>{@link #killExecutors killExecutors(ids)} kills the executors the policy knows and is not
 *       already releasing, busy or idle, even below {@code minExecutors}, and lowers the target by
 *       their number, to no less than {@code minExecutors}, in the same request (so they are not
 *       replaced at once). Other ids are ignored; when none is left it returns {@code false} and
 *       sends nothing. Killed executors are never released again by the idle rule.</li>
 * </ul>
 * They return whether the cluster manager got the request. A target the application set that could
 * not be sent is kept and sent again on the next tick; a kill that could not be sent changes
 * nothing. They throw {@link IllegalStateException} before {@link #start()} (the application has
 * not registered, so there is no target to act on) and return {@code false} after
 * {@link #close()}.
 *
 * <p>A request the policy's own decisions could not send leaves the target as it was, so the next
 * tick tries again. Time is read only from the context's clock; time-based decisions are made in
 * {@link #tick()}. Each decision is logged at INFO in one line.
 *
 * <p>Threading: not thread-safe, as the {@link AllocationPolicy} contract allows: the host calls
 * {@link #start()}, events, requests, ticks and {@link #close()} on one thread, one at a time.
 * Events that arrive before {@code start()} are recorded; events and ticks after {@code close()}
 * are ignored.
 */
final class DynamicAllocationPolicy implements AllocationPolicy {

    private static final Logger log = LoggerFactory.getLogger(DynamicAllocationPolicy.class);

    private enum State { NEW, STARTED, CLOSED }

    private final DynamicAllocationSettings settings;
    private final String applicationId;
    private final ExecutorAllocationClient client;
    private final Clock clock;
    private final int tasksPerExecutor;
    /** {@code ember.executor.instances} as the start request counts it: 0 when the application did not set it. */
    private final int configuredExecutors;
    /** How the start line names {@code ember.executor.instances}: its value, or that it is not set. */
    private final String configuredExecutorsText;
    private final TaskBacklog tasks = new TaskBacklog();
    private final ExecutorIdleTracker executors;

    private State state = State.NEW;
    /**
     * True from start, and from the application's last request, until the next stage is submitted
     * or an executor times out after {@link #holdSince}; the target is not lowered meanwhile.
     */
    private boolean holdingTarget = true;
    /** When the hold began; only executors timing out after it end the hold. */
    private Instant holdSince = Instant.MIN;
    /**
     * False while the current target has not reached the cluster (after a failed initial request
     * or a failed request of the application); the next tick sends it.
     */
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
        this.configuredExecutors = context.configuredExecutorsSet() ? context.configuredExecutors() : 0;
        this.configuredExecutorsText = context.configuredExecutorsSet() ? String.valueOf(configuredExecutors) : "not set";
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
                    configuredExecutorsText, describeMax());
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
        holdingTarget = false;
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
    public void onTaskResubmitted(int stageId) {
        if (state == State.CLOSED) {
            return;
        }
        tasks.taskResubmitted(stageId);
        updateBacklogTimer(clock.instant());
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
     */
    @Override
    public void onCachedBlocksChanged(String executorId, boolean holdsCachedBlocks) {
        if (state != State.CLOSED) {
            executors.cachedBlocks(executorId, holdsCachedBlocks);
        }
    }

    /**
     * An executor wrote map output of a shuffle it serves itself; with
     * {@code shuffleTracking.enabled}, while the shuffle is active such an idle executor waits for
     * {@code shuffleTracking.timeout}. Ignored without shuffle tracking.
     */
    @Override
    public void onShuffleOutput(String executorId, int shuffleId) {
        if (state != State.CLOSED) {
            executors.shuffleOutput(executorId, shuffleId);
        }
    }

    /**
     * Whether a running job needs a shuffle's output; output of an inactive shuffle keeps no
     * executor (a shuffle a later job may read again is computed again where its output was lost).
     * Ignored without shuffle tracking.
     */
    @Override
    public void onShuffleActive(int shuffleId, boolean active) {
        if (state != State.CLOSED) {
            executors.shuffleActive(shuffleId, active);
        }
    }

    /** The driver cleaned up a shuffle: its output is forgotten, and keeps no executor. */
    @Override
    public void onShuffleRemoved(int shuffleId) {
        if (state != State.CLOSED) {
            executors.shuffleRemoved(shuffleId);
        }
    }

    /**
     * Sets the target to {@code total} clamped to [minExecutors, maxExecutors], asks for it and
     * holds it until the next stage is submitted or an executor idles out.
     *
     * @return whether the cluster manager got the request; if not, the target is kept and sent on
     *     the next tick
     * @throws IllegalArgumentException when {@code total} is negative
     * @throws IllegalStateException before {@link #start()}
     */
    @Override
    public boolean requestTotalExecutors(int total) {
        if (total < 0) {
            throw new IllegalArgumentException("the total of executors must be >= 0: " + total);
        }
        return applyRequest(total, "for " + total + " executor" + plural(total) + " in total");
    }

    /**
     * {@code requestTotalExecutors(target + count)}, saturating at {@link Integer#MAX_VALUE}.
     *
     * @throws IllegalArgumentException when {@code count} is negative
     * @throws IllegalStateException before {@link #start()}
     */
    @Override
    public boolean requestExecutors(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("the count of executors must be >= 0: " + count);
        }
        int total = (int) Math.min((long) target + count, Integer.MAX_VALUE);
        return applyRequest(total, "for " + count + " more executor" + plural(count));
    }

    /**
     * Kills the known executors among {@code executorIds} that are not already being released, and
     * lowers the target by their number (not below minExecutors) in the same request.
     *
     * @return {@code false} when no id is known or the cluster manager did not get the request
     *     (then nothing changes)
     * @throws IllegalStateException before {@link #start()}
     */
    @Override
    public boolean killExecutors(Collection<String> executorIds) {
        requireNonNull(executorIds, "executorIds is null");
        if (!acceptsRequest("to kill executors " + executorIds)) {
            return false;
        }
        Set<String> known = new LinkedHashSet<>();
        Set<String> ignored = new LinkedHashSet<>();
        Set<String> held = client.executorIds();
        for (String id : executorIds) {
            requireNonNull(id, "an executor id is null");
            if (!executors.isKnown(id) && held.contains(id)) {
                // registered with the driver, its onExecutorAdded still on its way to this thread
                executors.executorAdded(id, clock.instant());
            }
            (executors.isLive(id) ? known : ignored).add(id);
        }
        if (!ignored.isEmpty()) {
            log.info("Ignoring executor{} {} in the application's kill request: unknown or already being released",
                    plural(ignored.size()), ignored);
        }
        if (known.isEmpty()) {
            return false;
        }
        List<String> ids = List.copyOf(known);
        int previous = target;
        int lowered = Math.max(settings.minExecutors(), target - ids.size());
        if (!client.killExecutors(ids, lowered)) {
            log.warn("Could not reach the cluster manager to kill executor{} {} at the application's request "
                    + "(target stays {})", plural(ids.size()), ids, target);
            return false;
        }
        target = lowered;
        targetSent = true;
        executors.releaseRequested(ids);
        for (String id : ids) {
            log.info("Killing executor {} at the application's request; executor target {} (previously {})",
                    id, lowered, previous);
        }
        return true;
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
        if (holdingTarget && expired.stream().anyMatch(idle -> idle.deadline().isAfter(holdSince))) {
            holdingTarget = false;
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
                nextRaiseAt = Instants.plusSaturating(now, settings.schedulerBacklogTimeout());
            }
        } else if (nextRaiseAt != null) {
            backlogSince = null;
            nextRaiseAt = null;
            step = 1;
        }
    }

    private void updateTarget(Instant now) {
        int needed = executorsNeeded(tasks.pendingTasks() + tasks.runningTasks(),
                settings.executorAllocationRatio(), tasksPerExecutor);
        if (needed < target) {
            if (!holdingTarget) {
                lowerTarget(needed);
            }
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
                Durations.formatRounded(Duration.between(backlogSince, now)), step);
        target = (int) raised;
        step = delta == step ? (int) Math.min(2L * step, Integer.MAX_VALUE) : 1;
        nextRaiseAt = Instants.plusSaturating(now, settings.sustainedSchedulerBacklogTimeout());
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
        if (!client.killExecutors(ids, target)) {
            log.warn("Could not reach the cluster manager to release idle executors {}; retrying on the next tick", ids);
            return;
        }
        targetSent = true;
        executors.releaseRequested(ids);
        for (IdleExecutor idle : chosen) {
            log.info("Releasing executor {}: idle since {} ({} {})", idle.executorId(), idle.idleSince(),
                    idle.timeoutKey(), Durations.format(idle.timeout()));
        }
    }

    /** Sets, sends and holds the target the application asked for. */
    private boolean applyRequest(int total, String asked) {
        if (!acceptsRequest(asked)) {
            return false;
        }
        int previous = target;
        int clamped = Math.max(settings.minExecutors(), Math.min(total, settings.maxExecutors()));
        String clamping = clamped < total ? "; clamped to maxExecutors " + settings.maxExecutors()
                : clamped > total ? "; clamped to minExecutors " + settings.minExecutors()
                : "";
        target = clamped;
        holdingTarget = true;
        holdSince = clock.instant();
        targetSent = client.requestTotalExecutors(clamped);
        if (targetSent) {
            log.info("The application asked {}: target {} (previously {}{})", asked, clamped, previous, clamping);
        } else {
            log.warn("The application asked {}: target {} (previously {}{}), but the cluster manager could not be "
                    + "reached; retrying on the next tick", asked, clamped, previous, clamping);
        }
        return targetSent;
    }

    /**
     * Whether a request of the application may proceed: not after close (logged, {@code false}).
     *
     * @throws IllegalStateException before start
     */
    private boolean acceptsRequest(String asked) {
        if (state == State.NEW) {
            throw new IllegalStateException("dynamic allocation for " + applicationId
                    + " takes the application's requests only once it has started");
        }
        if (state == State.CLOSED) {
            log.info("Ignoring the application's request {}: dynamic allocation for {} is closed", asked, applicationId);
            return false;
        }
        return true;
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
