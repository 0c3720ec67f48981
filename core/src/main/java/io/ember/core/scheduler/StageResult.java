package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.core.job.JobId;
import io.ember.core.job.StageId;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A finished stage: its results in the order of its partitions, and what it took.
 *
 * @param jobId the job it belonged to
 * @param stageId its id
 * @param results one per partition; elements may be {@code null}
 * @param tasks its tasks (one per partition)
 * @param attempts task attempts launched, retries and resubmissions included
 * @param failedAttempts attempts that failed
 * @param executorIds the executors that ran at least one attempt
 * @param cacheHits cached partitions read from an executor's memory
 * @param cacheMisses partitions of persisted datasets computed
 * @param wallTime from submission to the last result
 */
public record StageResult<R>(JobId jobId, StageId stageId, List<R> results, int tasks, int attempts,
                             int failedAttempts, Set<String> executorIds, long cacheHits, long cacheMisses,
                             Duration wallTime) {

    public StageResult {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(stageId, "stageId is null");
        results = Collections.unmodifiableList(requireNonNull(results, "results is null"));
        executorIds = Set.copyOf(requireNonNull(executorIds, "executorIds is null"));
        requireNonNull(wallTime, "wallTime is null");
    }

    /** How many distinct executors ran its tasks. */
    public int executors() {
        return executorIds.size();
    }
}
