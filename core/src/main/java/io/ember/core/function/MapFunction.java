package io.ember.core.function;

import java.io.Serializable;

/**
 * A one-to-one function of records, as used by {@code Dataset.map} and {@code Dataset.keyBy}.
 *
 * <p>Runs on executors, possibly on several task threads at once, so it must not rely on shared
 * mutable state. It is serialized with the dataset that uses it: the function and everything it
 * captures must be serializable.
 *
 * @param <T> the input record type
 * @param <R> the output record type
 */
@FunctionalInterface
public interface MapFunction<T, R> extends Serializable {

    /**
     * Returns the record that {@code value} becomes.
     *
     * @throws Exception anything; the task fails with this exception, which becomes the cause of
     *     the job's failure
     */
    R call(T value) throws Exception;
}
