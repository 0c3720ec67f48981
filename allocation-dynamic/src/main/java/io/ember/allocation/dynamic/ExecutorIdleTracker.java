package io.ember.allocation.dynamic;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Knows the application's executors, which of them are idle since when, and when each may be
 * released.
 *
 * <p>An executor is idle from when it joins, or from when its last running task ends, until a task
 * starts on it. What it holds does not move that instant: losing its cached blocks or the last
 * active shuffle it holds output of changes which timeout applies, measured from the same
 * {@code idleSince}, so an executor idle for longer than the new timeout goes on the next tick. An
 * idle executor times out after:
 * <ul>
 *   <li>{@code executorIdleTimeout}, when it holds neither cached blocks nor (with shuffle
 *       tracking) output of an active shuffle;</li>
 *   <li>otherwise the shorter of {@code cachedExecutorIdleTimeout} (if it holds cached blocks) and
 *       {@code shuffleTracking.timeout} (if it holds output of an active shuffle and tracking is
 *       on), where an unset timeout is "never".</li>
 * </ul>
 * A timeout is reached at exactly {@code idleSince + timeout}.
 *
 * <p>Shuffle tracking ({@code shuffleTracking.enabled}): the tracker remembers, per executor, the
 * shuffles whose map output it wrote and serves itself ({@link #shuffleOutput}), and which shuffles
 * a running job needs ({@link #shuffleActive}). Only output of an <em>active</em> shuffle keeps an
 * executor; a shuffle that is inactive now may become active again (a later job reads it), and then
 * keeps the executors still holding its output again. Ember has no shuffle cleaner, so "no running
 * job needs it" stands in for Spark's clean-up. Output an external shuffle service serves is never
 * reported. With tracking off, shuffle events are ignored.
 *
 * <p>Executors whose release was requested are not reported again and do not count as live.
 *
 * <p>Not thread-safe: the policy calls it from its one allocation thread.
 */
final class ExecutorIdleTracker {

    /** An executor whose idle timeout has passed; {@code timeoutKey} names the setting that applied. */
    record IdleExecutor(String executorId, Instant idleSince, Instant deadline, String timeoutKey, Duration timeout) {
        IdleExecutor {
            requireNonNull(executorId, "executorId is null");
            requireNonNull(idleSince, "idleSince is null");
            requireNonNull(deadline, "deadline is null");
            requireNonNull(timeoutKey, "timeoutKey is null");
            requireNonNull(timeout, "timeout is null");
        }
    }

    private record Timeout(String key, Duration duration) {
    }

    private final Timeout idleTimeout;
    private final Optional<Timeout> cachedTimeout;
    private final boolean shuffleTracking;
    private final Optional<Timeout> shuffleTimeout;
    private final Map<String, TrackedExecutor> executors = new LinkedHashMap<>();
    /** Shuffles a running job needs; only kept with shuffle tracking on. */
    private final Set<Integer> activeShuffles = new HashSet<>();

    ExecutorIdleTracker(DynamicAllocationSettings settings) {
        requireNonNull(settings, "settings is null");
        this.idleTimeout = new Timeout(DynamicAllocationSettings.EXECUTOR_IDLE_TIMEOUT.name(),
                settings.executorIdleTimeout());
        this.cachedTimeout = settings.cachedExecutorIdleTimeout()
                .map(d -> new Timeout(DynamicAllocationSettings.CACHED_EXECUTOR_IDLE_TIMEOUT.name(), d));
        this.shuffleTracking = settings.shuffleTrackingEnabled();
        this.shuffleTimeout = settings.shuffleTrackingTimeout()
                .map(d -> new Timeout(DynamicAllocationSettings.SHUFFLE_TRACKING_TIMEOUT.name(), d));
    }

    /** An executor joined; it is idle from {@code now}. A known executor is left as it is. */
    void executorAdded(String executorId, Instant now) {
        track(executorId, now);
    }

    /** An executor left; it is forgotten. */
    void executorRemoved(String executorId) {
        executors.remove(requireNonNull(executorId, "executorId is null"));
    }

    /**
     * A task started on an executor (one not yet announced is tracked from now on). An executor
     * whose release was requested and that starts a task was kept by the host (it got the task
     * just before the release), so it is live again; one that was really killed leaves soon, with
     * {@link #executorRemoved}.
     */
    void taskStarted(String executorId, Instant now) {
        TrackedExecutor executor = track(executorId, now);
        executor.runningTasks++;
        executor.idleSince = null;
        executor.releaseRequested = false;
    }

    /** A task ended on an executor; with no task left it is idle from {@code now}. */
    void taskEnded(String executorId, Instant now) {
        TrackedExecutor executor = executors.get(requireNonNull(executorId, "executorId is null"));
        if (executor == null || executor.runningTasks == 0) {
            return;
        }
        executor.runningTasks--;
        if (executor.runningTasks == 0) {
            executor.idleSince = requireNonNull(now, "now is null");
        }
    }

    /** Whether an executor holds cached blocks now. Unknown executors are ignored. */
    void cachedBlocks(String executorId, boolean hasCachedBlocks) {
        TrackedExecutor executor = executors.get(requireNonNull(executorId, "executorId is null"));
        if (executor != null) {
            executor.hasCachedBlocks = hasCachedBlocks;
        }
    }

    /**
     * An executor wrote map output of a shuffle that it serves itself. Ignored without shuffle
     * tracking and for unknown executors.
     */
    void shuffleOutput(String executorId, int shuffleId) {
        TrackedExecutor executor = executors.get(requireNonNull(executorId, "executorId is null"));
        if (shuffleTracking && executor != null) {
            executor.shuffleIds.add(shuffleId);
        }
    }

    /**
     * Whether a running job needs a shuffle's output; only then does the output keep an idle
     * executor. Ignored without shuffle tracking.
     */
    void shuffleActive(int shuffleId, boolean active) {
        if (!shuffleTracking) {
            return;
        }
        if (active) {
            activeShuffles.add(shuffleId);
        } else {
            activeShuffles.remove(shuffleId);
        }
    }

    /** The driver cleaned up a shuffle: no executor holds output of it any more. */
    void shuffleRemoved(int shuffleId) {
        activeShuffles.remove(shuffleId);
        for (TrackedExecutor executor : executors.values()) {
            executor.shuffleIds.remove(shuffleId);
        }
    }

    /** Whether the executor is known (whether or not its release was requested). */
    boolean isKnown(String executorId) {
        return executors.containsKey(requireNonNull(executorId, "executorId is null"));
    }

    /** Whether the executor is known and its release has not been requested. */
    boolean isLive(String executorId) {
        TrackedExecutor executor = executors.get(requireNonNull(executorId, "executorId is null"));
        return executor != null && !executor.releaseRequested;
    }

    /**
     * The executors whose idle timeout has been reached at {@code now} and whose release has not
     * been requested, longest expired first (then by id).
     */
    List<IdleExecutor> timedOut(Instant now) {
        requireNonNull(now, "now is null");
        List<IdleExecutor> expired = new ArrayList<>();
        executors.forEach((id, executor) -> {
            if (executor.releaseRequested || executor.idleSince == null) {
                return;
            }
            timeoutOf(executor).ifPresent(timeout -> {
                Instant deadline = Instants.plusSaturating(executor.idleSince, timeout.duration());
                if (!now.isBefore(deadline)) {
                    expired.add(new IdleExecutor(id, executor.idleSince, deadline, timeout.key(), timeout.duration()));
                }
            });
        });
        expired.sort(Comparator.comparing(IdleExecutor::deadline).thenComparing(IdleExecutor::executorId));
        return expired;
    }

    /** Known executors whose release has not been requested. */
    int liveCount() {
        return (int) executors.values().stream().filter(e -> !e.releaseRequested).count();
    }

    /** The release of these executors was requested; they stay known until they leave. */
    void releaseRequested(Collection<String> executorIds) {
        for (String id : executorIds) {
            TrackedExecutor executor = executors.get(id);
            if (executor != null) {
                executor.releaseRequested = true;
            }
        }
    }

    private TrackedExecutor track(String executorId, Instant now) {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(now, "now is null");
        return executors.computeIfAbsent(executorId, id -> new TrackedExecutor(now));
    }

    private Optional<Timeout> timeoutOf(TrackedExecutor executor) {
        boolean holdsShuffle = shuffleTracking && holdsActiveShuffle(executor);
        if (!executor.hasCachedBlocks && !holdsShuffle) {
            return Optional.of(idleTimeout);
        }
        Optional<Timeout> cached = executor.hasCachedBlocks ? cachedTimeout : Optional.empty();
        Optional<Timeout> shuffle = holdsShuffle ? shuffleTimeout : Optional.empty();
        return cached.isEmpty() ? shuffle
                : shuffle.isEmpty() ? cached
                : Optional.of(cached.get().duration().compareTo(shuffle.get().duration()) <= 0 ? cached.get() : shuffle.get());
    }

    private boolean holdsActiveShuffle(TrackedExecutor executor) {
        Set<Integer> smaller = executor.shuffleIds.size() <= activeShuffles.size() ? executor.shuffleIds : activeShuffles;
        Set<Integer> larger = smaller == activeShuffles ? executor.shuffleIds : activeShuffles;
        return smaller.stream().anyMatch(larger::contains);
    }

    private static final class TrackedExecutor {
        /** Shuffles it holds map output of (only with shuffle tracking), active or not. */
        private final Set<Integer> shuffleIds = new HashSet<>();
        private int runningTasks;
        private Instant idleSince;
        private boolean hasCachedBlocks;
        private boolean releaseRequested;

        private TrackedExecutor(Instant idleSince) {
            this.idleSince = idleSince;
        }
    }
}
