package io.ember.core.function;

import java.io.Serializable;

/**
 * A predicate on records, as used by {@code Dataset.filter}.
 *
 * <p>Runs on executors, possibly on several task threads at once, so it must not rely on shared
 * mutable state. It is serialized with the dataset that uses it: the function and everything it
 * captures must be serializable.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface FilterFunction<T> extends Serializable {

    /**
     * Whether {@code value} is kept.
     *
     * @throws Exception anything; the task fails with this exception, which becomes the cause of
     *     the job's failure
     */
    boolean call(T value) throws Exception;
}
