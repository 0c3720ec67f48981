/**
 * The driver's scheduling of jobs: the {@link io.ember.core.scheduler.StagePlanner} turns a job (one
 * action) into stages at shuffle boundaries, runs missing map stages first and resubmits after fetch
 * failures; the {@link io.ember.core.scheduler.TaskScheduler} turns each stage into a task set,
 * orders task sets through the selected scheduling plugin (FIFO by job, then stage; or FAIR pools),
 * gives free executor cores their next task, retries failed tasks and resubmits a lost executor's.
 * It knows jobs only through {@link io.ember.core.job}, never the dataset API, and executors only
 * through {@link io.ember.core.scheduler.ExecutorGateway} in Ember's types ({@code TaskLaunch},
 * {@code StageShipment}, {@code TaskOutcome}), never the wire.
 */
package io.ember.core.scheduler;
