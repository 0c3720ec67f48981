package io.ember.core.dataset;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a combiner that grows with its values into parts that the aggregation's merge puts back
 * together, so that a spill writes (and the merge later reads) a key's values in pieces of bounded
 * size instead of one record as large as they are. Only aggregations whose merge concatenates have
 * one: groupByKey ({@link #LISTS}) and cogroup ({@link #LIST_PAIRS}); any other combiner is written
 * whole ({@link #whole()}).
 *
 * <p>Stateless; called on the task's thread.
 *
 * @param <C> the combiner type
 */
@FunctionalInterface
interface CombinerSplitter<C> extends Serializable {

    /** groupByKey's lists: part {@code index} is a new list of the elements in its slice. */
    CombinerSplitter<List<Object>> LISTS = (list, index, parts) -> {
        int from = slice(list.size(), index, parts);
        int to = slice(list.size(), index + 1, parts);
        return new ArrayList<>(list.subList(from, to));
    };

    /** cogroup's pairs of lists: the parts slice the left list's elements, then the right one's. */
    CombinerSplitter<Pair<List<Object>, List<Object>>> LIST_PAIRS = (both, index, parts) -> {
        int left = both.key().size();
        int total = left + both.value().size();
        int from = slice(total, index, parts);
        int to = slice(total, index + 1, parts);
        return new Pair<>(new ArrayList<>(both.key().subList(Math.min(from, left), Math.min(to, left))),
                new ArrayList<>(both.value().subList(Math.max(from, left) - left, Math.max(to, left) - left)));
    };

    /**
     * Part {@code index} of {@code parts} of {@code combiner}; merging parts 0 to {@code parts - 1} in
     * order gives back a combiner equal to it.
     */
    C part(C combiner, int index, int parts);

    /** {@link #LISTS}, typed for lists of {@code T}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> CombinerSplitter<List<T>> lists() {
        return (CombinerSplitter) LISTS;
    }

    /** {@link #LIST_PAIRS}, typed for pairs of lists of {@code A} and {@code B}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <A, B> CombinerSplitter<Pair<List<A>, List<B>>> listPairs() {
        return (CombinerSplitter) LIST_PAIRS;
    }

    /** Writes every combiner whole (in one part). */
    @SuppressWarnings("unchecked")
    static <C> CombinerSplitter<C> whole() {
        return (CombinerSplitter<C>) Whole.INSTANCE;
    }

    /** Where part {@code index} of {@code parts} of {@code size} elements starts. */
    private static int slice(int size, int index, int parts) {
        return (int) ((long) size * index / parts);
    }

    /** The splitter of combiners that are never cut. */
    enum Whole implements CombinerSplitter<Object> {
        INSTANCE;

        @Override
        public Object part(Object combiner, int index, int parts) {
            if (parts != 1) {
                throw new IllegalArgumentException("this combiner is written whole: " + parts + " parts asked");
            }
            return combiner;
        }
    }
}
