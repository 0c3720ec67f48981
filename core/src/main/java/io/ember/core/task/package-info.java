/**
 * The contract between the driver's datasets and the executors that run their tasks: a stage's
 * {@link io.ember.core.task.StageCode}, the {@link io.ember.core.task.TaskContext} each task gets,
 * and the executor's {@link io.ember.core.task.BlockStore} of cached partitions.
 */
package io.ember.core.task;
