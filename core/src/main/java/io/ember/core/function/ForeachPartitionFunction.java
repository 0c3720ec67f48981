package io.ember.core.function;

import java.io.Serializable;
import java.util.Iterator;

/**
 * An action on each whole partition, as used by {@code Dataset.foreachPartition}; run for its
 * side effects, e.g. to write a partition to an external system over one connection.
 *
 * <p>Runs on executors, possibly on several task threads at once, so it must not rely on shared
 * mutable state. It is serialized with the dataset that uses it: the function and everything it
 * captures must be serializable.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface ForeachPartitionFunction<T> extends Serializable {

    /**
     * Acts on the partition's records; it need not consume all of them.
     *
     * @throws Exception anything; the task fails with this exception, which becomes the cause of
     *     the job's failure
     */
    void call(Iterator<T> records) throws Exception;
}
