/**
 * The vocabulary of jobs, shared by the dataset API that describes them and the scheduler that runs
 * them: a {@link io.ember.core.job.Job} is what one action asks for, identified by a
 * {@link io.ember.core.job.JobId}; it runs as one or more stages, each with a
 * {@link io.ember.core.job.StageId} and described by a {@link io.ember.core.job.Stage} (a job is its
 * final stage plus the shuffles it reads), split at shuffle boundaries
 * ({@link io.ember.core.job.ShuffleInput}); it ends with a {@link io.ember.core.job.JobResult} and
 * its {@link io.ember.core.job.JobSummary}, or a {@link io.ember.core.job.JobFailedException}.
 *
 * <p>This package depends on nothing of the driver's or the scheduler's; both depend on it.
 */
package io.ember.core.job;
