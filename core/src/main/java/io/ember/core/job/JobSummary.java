package io.ember.core.job;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a job took, all its stages together, for its caller and for logs.
 *
 * @param jobId the job's id within the application
 * @param description what the job was, e.g. {@code count at Pi.java:42}
 * @param stages stages run: the final one, and the map stages whose output was missing (again
 *     after a fetch failure)
 * @param tasks tasks of all those stages (one per partition each stage computed)
 * @param attempts task attempts launched, retries and resubmissions included
 * @param failedAttempts attempts that failed (the user's error, or a lost executor)
 * @param executors distinct executors that ran at least one attempt
 * @param cacheHits cached partitions read from an executor's memory
 * @param cacheMisses partitions of persisted datasets computed (the first time, or again)
 * @param wallTime from submission to the last result
 */
public record JobSummary(JobId jobId, String description, int stages, int tasks, int attempts, int failedAttempts,
                         int executors, long cacheHits, long cacheMisses, Duration wallTime) {

    public JobSummary {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(description, "description is null");
        requireNonNull(wallTime, "wallTime is null");
    }

    /**
     * One line, e.g. {@code job 3 (count at Pi.java:42): 1000 tasks on 2 executors in 812 ms}, with
     * the number of stages when there were several.
     */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder().append(jobId).append(" (").append(description).append("): ");
        if (stages > 1) {
            line.append(stages).append(" stages, ");
        }
        line.append(tasks).append(tasks == 1 ? " task" : " tasks").append(" on ").append(executors)
                .append(executors == 1 ? " executor" : " executors").append(" in ").append(wallTime.toMillis())
                .append(" ms");
        if (failedAttempts > 0) {
            line.append(", ").append(failedAttempts).append(" failed attempt(s) retried");
        }
        if (cacheHits + cacheMisses > 0) {
            line.append(", cache ").append(cacheHits).append(" hit(s) / ").append(cacheMisses).append(" miss(es)");
        }
        return line.toString();
    }
}
