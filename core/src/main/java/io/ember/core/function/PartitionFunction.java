package io.ember.core.function;

import java.io.Serializable;
import java.util.Iterator;

/**
 * A function of a whole partition, as used by {@code Dataset.mapPartitions}: it gets the partition's
 * records as an iterator and returns the new partition's records, so costly set-up (a connection, a
 * parser) happens once per partition rather than once per record.
 *
 * <p>Runs on executors, possibly on several task threads at once, so it must not rely on shared
 * mutable state. It is serialized with the dataset that uses it: the function and everything it
 * captures must be serializable.
 *
 * @param <T> the input record type
 * @param <R> the output record type
 */
@FunctionalInterface
public interface PartitionFunction<T, R> extends Serializable {

    /**
     * Returns the records of the new partition; never {@code null}. It may consume
     * {@code records} lazily, as its own iterator is consumed.
     *
     * @throws Exception anything; the task fails with this exception, which becomes the cause of
     *     the job's failure
     */
    Iterator<R> call(Iterator<T> records) throws Exception;
}
