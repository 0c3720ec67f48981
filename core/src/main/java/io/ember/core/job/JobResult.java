package io.ember.core.job;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;

/**
 * A finished job: its results, in the order of the job's partitions, and its summary.
 *
 * @param results one per partition; elements may be {@code null}
 * @param summary what it took
 */
public record JobResult<R>(List<R> results, JobSummary summary) {

    public JobResult {
        results = Collections.unmodifiableList(requireNonNull(results, "results is null"));
        requireNonNull(summary, "summary is null");
    }
}
