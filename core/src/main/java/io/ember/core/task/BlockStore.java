package io.ember.core.task;

import java.util.Iterator;
import java.util.function.Supplier;

/**
 * An executor's cached partitions (its block manager), as tasks see it.
 *
 * <p>Thread-safe: tasks on every task thread use it at once.
 */
public interface BlockStore {

    /**
     * The records of a cached partition: read from memory when the block is held here (a cache
     * hit), else computed with {@code compute}, kept when it fits the executor's storage memory
     * (evicting the least recently used blocks of other datasets), and returned (a miss). A block
     * that does not fit is computed and returned without being kept. Never returns wrong records:
     * an evicted block is simply computed again.
     */
    <T> Iterator<T> getOrCompute(BlockId id, Supplier<Iterator<T>> compute);
}
