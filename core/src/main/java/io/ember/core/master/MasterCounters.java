package io.ember.core.master;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one master process has done since it started, counted where it happens, for its
 * {@code /metrics}: leaderships taken, executors launched and failed, executor requests and kills
 * from drivers. Survives the terms: a master that leads again goes on counting.
 *
 * <p>Thread-safe; a count costs one uncontended increment.
 */
final class MasterCounters {

    private final LongAdder leaderships = new LongAdder();
    private final LongAdder executorsLaunched = new LongAdder();
    private final LongAdder executorsFailed = new LongAdder();
    private final LongAdder executorRequests = new LongAdder();
    private final LongAdder executorKills = new LongAdder();

    void leadershipTaken() {
        leaderships.increment();
    }

    void executorLaunched() {
        executorsLaunched.increment();
    }

    void executorFailed() {
        executorsFailed.increment();
    }

    void executorsRequested() {
        executorRequests.increment();
    }

    void executorsKilled(int count) {
        executorKills.add(count);
    }

    /** The counts now. */
    Counts counts() {
        return new Counts(leaderships.sum(), executorsLaunched.sum(), executorsFailed.sum(), executorRequests.sum(),
                executorKills.sum());
    }

    /**
     * The counts at one moment.
     *
     * @param leaderships times this master became the leader
     * @param executorsLaunched executors it asked workers to launch
     * @param executorsFailed executors that failed (ended by themselves with a non-zero exit code)
     * @param executorRequests executor requests ({@code RequestTotalExecutors}) drivers sent it as the leader
     * @param executorKills executors drivers asked it to kill
     */
    record Counts(long leaderships, long executorsLaunched, long executorsFailed, long executorRequests,
                  long executorKills) {
    }
}
