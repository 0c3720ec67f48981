/**
 * Datasets: partitioned collections the driver computes on executors, their narrow operations and
 * actions, and the {@link io.ember.core.dataset.JobRunner} contract through which an action
 * becomes a job.
 */
package io.ember.core.dataset;
