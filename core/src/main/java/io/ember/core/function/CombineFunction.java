package io.ember.core.function;

import java.io.Serializable;

/**
 * Folds a value into a combiner, as {@code combineByKey} and {@code aggregateByKey} do on the map
 * and reduce sides of a shuffle.
 *
 * <p>Runs on executors, possibly on several task threads at once, so it must not rely on shared
 * mutable state. It may update and return {@code combiner} (which belongs to one key of one task)
 * instead of making a new one. Serialized with the dataset that uses it.
 *
 * @param <C> the combiner type
 * @param <V> the value type
 */
@FunctionalInterface
public interface CombineFunction<C, V> extends Serializable {

    /**
     * Returns {@code combiner} with {@code value} folded in.
     *
     * @throws Exception anything; the task fails with this exception, which becomes the cause of
     *     the job's failure
     */
    C call(C combiner, V value) throws Exception;
}
