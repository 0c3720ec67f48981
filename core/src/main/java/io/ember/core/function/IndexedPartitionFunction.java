package io.ember.core.function;

import java.io.Serializable;
import java.util.Iterator;

/**
 * A function of a whole partition and its index, as used by {@code Dataset.mapPartitionsWithIndex}.
 *
 * <p>Runs on executors, possibly on several task threads at once, so it must not rely on shared
 * mutable state. It is serialized with the dataset that uses it: the function and everything it
 * captures must be serializable.
 *
 * @param <T> the input record type
 * @param <R> the output record type
 */
@FunctionalInterface
public interface IndexedPartitionFunction<T, R> extends Serializable {

    /**
     * Returns the records of the new partition {@code partition} (the same index as the input's);
     * never {@code null}.
     *
     * @throws Exception anything; the task fails with this exception, which becomes the cause of
     *     the job's failure
     */
    Iterator<R> call(int partition, Iterator<T> records) throws Exception;
}
