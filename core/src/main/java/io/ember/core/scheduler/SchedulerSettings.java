package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The task scheduler's settings.
 *
 * @param maxFailures attempts of a task before its job fails ({@code ember.task.maxFailures})
 * @param coresPerTask cores a task occupies ({@code ember.task.cpus})
 * @param localityWait how long a task waits for the executor caching its input ({@code ember.locality.wait})
 * @param maxResultBytes the most result bytes one job may bring back ({@code ember.driver.maxResultSize})
 * @param launchAhead tasks sent to an executor beyond its free cores, per task slot, queued there so
 *     that a core never idles for a round trip to the driver ({@code ember.task.launchAhead}); 0 sends
 *     a task only for a free core
 * @param launchAheadMaxTaskTime a task set's tasks are sent ahead only while their mean run time is
 *     below this ({@code ember.task.launchAhead.maxTaskTime}): a queued task delays whoever gets the
 *     core next by at most that long, so pools keep their shares and minShares
 */
public record SchedulerSettings(int maxFailures, int coresPerTask, Duration localityWait, long maxResultBytes,
                                int launchAhead, Duration launchAheadMaxTaskTime) {

    public SchedulerSettings {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be >= 1: " + maxFailures);
        }
        if (coresPerTask < 1) {
            throw new IllegalArgumentException("coresPerTask must be >= 1: " + coresPerTask);
        }
        requireNonNull(localityWait, "localityWait is null");
        if (localityWait.isNegative()) {
            throw new IllegalArgumentException("localityWait must be >= 0: " + localityWait);
        }
        if (maxResultBytes < 1) {
            throw new IllegalArgumentException("maxResultBytes must be >= 1: " + maxResultBytes);
        }
        if (launchAhead < 0) {
            throw new IllegalArgumentException("launchAhead must be >= 0: " + launchAhead);
        }
        requireNonNull(launchAheadMaxTaskTime, "launchAheadMaxTaskTime is null");
        if (launchAheadMaxTaskTime.isNegative()) {
            throw new IllegalArgumentException("launchAheadMaxTaskTime must be >= 0: " + launchAheadMaxTaskTime);
        }
    }

    /** Tasks an executor of {@code cores} cores runs at once. */
    int slots(int cores) {
        return Math.max(1, cores / coresPerTask);
    }
}
