package io.ember.core.function;

import java.io.Serializable;
import java.util.Iterator;

/**
 * A one-to-many function of records, as used by {@code Dataset.flatMap}.
 *
 * <p>Runs on executors, possibly on several task threads at once, so it must not rely on shared
 * mutable state. It is serialized with the dataset that uses it: the function and everything it
 * captures must be serializable.
 *
 * @param <T> the input record type
 * @param <R> the output record type
 */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends Serializable {

    /**
     * Returns the records that {@code value} becomes, possibly none; never {@code null}. The
     * iterator is consumed before the next record is passed in.
     *
     * @throws Exception anything; the task fails with this exception, which becomes the cause of
     *     the job's failure
     */
    Iterator<R> call(T value) throws Exception;
}
