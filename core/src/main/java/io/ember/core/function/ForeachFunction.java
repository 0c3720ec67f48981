package io.ember.core.function;

import java.io.Serializable;

/**
 * An action on each record, as used by {@code Dataset.foreach}; run for its side effects.
 *
 * <p>Runs on executors, possibly on several task threads at once, so it must not rely on shared
 * mutable state. It is serialized with the dataset that uses it: the function and everything it
 * captures must be serializable.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface ForeachFunction<T> extends Serializable {

    /**
     * Acts on {@code value}.
     *
     * @throws Exception anything; the task fails with this exception, which becomes the cause of
     *     the job's failure
     */
    void call(T value) throws Exception;
}
