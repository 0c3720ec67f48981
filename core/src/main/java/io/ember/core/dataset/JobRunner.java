package io.ember.core.dataset;

import io.ember.core.job.Job;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobResult;

/**
 * What datasets need from the driver: ids, a default parallelism, running jobs and dropping cached
 * partitions. Implemented by the driver's job scheduler (cluster and {@code local[N]} alike); a
 * dataset keeps it in a transient field, so it is only usable on the driver.
 *
 * <p>Thread-safe: jobs may be run from several threads at once; each call blocks its caller only.
 */
public interface JobRunner {

    /** A fresh dataset id, unique within the application. */
    int newDatasetId();

    /** Partitions a source gets when the caller names none: the cores the application holds, at least 2. */
    int defaultParallelism();

    /**
     * Runs a job: one task per partition in {@link Job#partitions()}, each running the job's code;
     * waits until all have finished.
     *
     * @return the results in the order of {@link Job#partitions()}
     * @throws JobFailedException when a task failed {@code ember.task.maxFailures} times, a result
     *     was too large, or the job was cancelled; its cause is the task's original error
     * @throws IllegalStateException when the driver is stopped
     */
    <R> JobResult<R> runJob(Job job);

    /** Drops every cached partition of the dataset on every executor; cached again on its next use if still persisted. */
    void unpersist(int datasetId);

    /**
     * A shuffle was defined: once {@code owner} (the dependency that names it, which every dataset
     * reading the shuffle reaches) is unreachable, the shuffle's files may be deleted everywhere.
     * The default keeps them until the application ends.
     */
    default void shuffleDefined(Object owner, int shuffleId) {
    }

    /**
     * A dataset was persisted: once it is unreachable, its cached partitions may be dropped
     * everywhere. The default keeps them until the application ends.
     */
    default void datasetPersisted(Dataset<?> dataset) {
    }
}
