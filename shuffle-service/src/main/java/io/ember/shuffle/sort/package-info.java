/**
 * The {@code sort} shuffle: {@link io.ember.shuffle.sort.SortShufflePlugin} offers
 * {@link io.ember.shuffle.sort.SortShuffleManagerFactory}, configured by
 * {@link io.ember.shuffle.sort.SortShuffleSettings}.
 *
 * <p>Map output lives in the files {@code ShuffleFiles} names, indexed by {@code ShuffleIndex}.
 * {@code ShuffleServer} serves it (as a worker's external shuffle service, or as an executor's own
 * server) over the framed protocol of {@code MessageCodec}; {@code ShuffleClient} fetches it, and
 * {@code SortShuffleReader} reads a reduce partition's blocks, local ones from disk.
 */
package io.ember.shuffle.sort;
