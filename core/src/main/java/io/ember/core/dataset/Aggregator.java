package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.function.CombineFunction;
import io.ember.core.function.MapFunction;
import io.ember.core.function.ReduceFunction;
import java.io.Serializable;

/**
 * How the values of one key become one combined value: the first value makes a combiner, later
 * values are folded into it, and combiners made by different map tasks are merged on the reduce
 * side.
 *
 * @param createCombiner the combiner of a key's first value
 * @param mergeValue folds a further value into a combiner
 * @param mergeCombiners merges two combiners of one key
 * @param splitter cuts a large combiner into parts {@code mergeCombiners} puts back together, for the
 *     reduce side's spills; {@link CombinerSplitter#whole()} for combiners that are not cut
 * @param <V> the value type
 * @param <C> the combiner type
 */
record Aggregator<V, C>(MapFunction<? super V, C> createCombiner, CombineFunction<C, ? super V> mergeValue,
                        ReduceFunction<C> mergeCombiners, CombinerSplitter<C> splitter) implements Serializable {

    Aggregator {
        requireNonNull(createCombiner, "createCombiner is null");
        requireNonNull(mergeValue, "mergeValue is null");
        requireNonNull(mergeCombiners, "mergeCombiners is null");
        requireNonNull(splitter, "splitter is null");
    }

    /** An aggregator whose combiners are never cut. */
    Aggregator(MapFunction<? super V, C> createCombiner, CombineFunction<C, ? super V> mergeValue,
               ReduceFunction<C> mergeCombiners) {
        this(createCombiner, mergeValue, mergeCombiners, CombinerSplitter.whole());
    }

    C create(V value) {
        try {
            return createCombiner.call(value);
        } catch (Exception e) {
            throw RecordIterators.rethrow(e);
        }
    }

    C add(C combiner, V value) {
        try {
            return mergeValue.call(combiner, value);
        } catch (Exception e) {
            throw RecordIterators.rethrow(e);
        }
    }

    C merge(C left, C right) {
        try {
            return mergeCombiners.call(left, right);
        } catch (Exception e) {
            throw RecordIterators.rethrow(e);
        }
    }
}
