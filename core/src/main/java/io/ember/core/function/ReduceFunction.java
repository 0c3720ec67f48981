package io.ember.core.function;

import java.io.Serializable;

/**
 * Combines two records into one, as used by {@code Dataset.reduce}. It must be associative and
 * commutative: records are combined in no fixed order, first within each partition on the
 * executors, then the partitions' results on the driver.
 *
 * <p>Runs on executors, possibly on several task threads at once, and on the driver for the
 * partitions' results, so it must not rely on shared mutable state. It is serialized with the
 * dataset that uses it: the function and everything it captures must be serializable.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface ReduceFunction<T> extends Serializable {

    /**
     * Returns the combination of {@code left} and {@code right}.
     *
     * @throws Exception anything; the task fails with this exception, which becomes the cause of
     *     the job's failure
     */
    T call(T left, T right) throws Exception;
}
