package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.function.FilterFunction;
import io.ember.core.function.FlatMapFunction;
import io.ember.core.function.IndexedPartitionFunction;
import io.ember.core.function.MapFunction;
import io.ember.core.function.PartitionFunction;
import io.ember.core.task.TaskContext;
import java.io.Serializable;
import java.util.Iterator;

/**
 * A narrow transformation of one parent: partition {@code p} is a function of the parent's
 * partition {@code p}. Every transformation of {@link Dataset} is one of these, differing only in
 * the {@link Transform} it holds.
 *
 * @param <P> the parent's record type
 * @param <T> the record type
 */
final class MapPartitionsDataset<P, T> extends Dataset<T> {

    private static final long serialVersionUID = 1L;

    private final Dataset<P> parent;
    private final Transform<P, T> transform;
    private final int partitions;

    private MapPartitionsDataset(Dataset<P> parent, Transform<P, T> transform) {
        super(requireNonNull(parent, "parent is null").runner());
        this.parent = parent;
        this.transform = requireNonNull(transform, "transform is null");
        this.partitions = parent.numPartitions();
    }

    static <P, T> Dataset<T> map(Dataset<P> parent, MapFunction<? super P, ? extends T> function) {
        requireNonNull(function, "function is null");
        return new MapPartitionsDataset<P, T>(parent, (partition, records) -> RecordIterators.map(records, function));
    }

    static <P, T> Dataset<T> flatMap(Dataset<P> parent, FlatMapFunction<? super P, ? extends T> function) {
        requireNonNull(function, "function is null");
        return new MapPartitionsDataset<P, T>(parent,
                (partition, records) -> RecordIterators.flatMap(records, function));
    }

    static <P> Dataset<P> filter(Dataset<P> parent, FilterFunction<? super P> function) {
        requireNonNull(function, "function is null");
        return new MapPartitionsDataset<P, P>(parent,
                (partition, records) -> RecordIterators.filter(records, function));
    }

    static <P, T> Dataset<T> mapPartitions(Dataset<P> parent, PartitionFunction<? super P, ? extends T> function) {
        requireNonNull(function, "function is null");
        return new MapPartitionsDataset<P, T>(parent, (partition, records) -> checked(
                function.call(RecordIterators.widen(records)), "mapPartitions"));
    }

    static <P, T> Dataset<T> mapPartitionsWithIndex(Dataset<P> parent,
                                                     IndexedPartitionFunction<? super P, ? extends T> function) {
        requireNonNull(function, "function is null");
        return new MapPartitionsDataset<P, T>(parent, (partition, records) -> checked(
                function.call(partition, RecordIterators.widen(records)), "mapPartitionsWithIndex"));
    }

    private static <T> Iterator<T> checked(Iterator<? extends T> records, String operation) {
        if (records == null) {
            throw new NullPointerException("the " + operation + " function returned null; return an empty iterator "
                    + "instead");
        }
        return RecordIterators.widen(records);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext context) {
        Iterator<P> input = parent.iterator(partition, context);
        try {
            return transform.apply(partition, input);
        } catch (Exception e) {
            throw RecordIterators.rethrow(e);
        }
    }

    @Override
    protected Dataset<?> narrowParent() {
        return parent;
    }

    @Override
    protected String describe() {
        return ", parent=" + parent.id();
    }

    /**
     * Turns the parent's partition into this dataset's, lazily where it can. Serialized with the
     * dataset; called by several task threads at once.
     */
    @FunctionalInterface
    interface Transform<P, T> extends Serializable {

        Iterator<T> apply(int partition, Iterator<P> records) throws Exception;
    }
}
