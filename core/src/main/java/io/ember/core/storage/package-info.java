/**
 * An executor's cached partitions: the {@link io.ember.core.storage.BlockManager} (an in-memory,
 * size-bounded, least-recently-used store behind {@link io.ember.core.task.BlockStore}) and the
 * {@link io.ember.core.storage.SizeEstimator} that tells it how large a partition is.
 */
package io.ember.core.storage;
