/**
 * The core side of shuffles: how records are assigned to reduce partitions
 * ({@link io.ember.core.shuffle.Partitioner}) and, at the driver, where each map task's output lives
 * ({@link io.ember.core.shuffle.MapOutputTracker}). Moving the bytes is the shuffle plugin's job
 * ({@link io.ember.api.shuffle.ShuffleManager}).
 */
package io.ember.core.shuffle;
