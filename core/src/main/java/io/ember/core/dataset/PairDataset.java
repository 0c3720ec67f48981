package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.function.CombineFunction;
import io.ember.core.function.MapFunction;
import io.ember.core.function.ReduceFunction;
import io.ember.core.shuffle.HashPartitioner;
import io.ember.core.shuffle.Partitioner;
import io.ember.core.shuffle.RangePartitioner;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset of key-value {@link Pair}s, with the operations that bring each key's values together:
 * they cut the lineage into two stages at a shuffle (the map stage writes every record to the
 * reduce partition of its key; the next stage reads them). Get one with
 * {@link Dataset#mapToPair}, {@link Dataset#pairs()} or from another pair operation.
 *
 * <p>Operations that combine values ({@link #reduceByKey}, {@link #aggregateByKey},
 * {@link #combineByKey}, {@link #countByKey}) combine on the map side first, so only one record per
 * key and map task crosses the network. Keys must have consistent {@code equals}/{@code hashCode}
 * (and be {@link Comparable} or come with a comparator for {@link #sortByKey}); {@code null} is a
 * key like any other except for sorting.
 *
 * <p>Immutable and thread-safe like every dataset; all operations are lazy except the actions
 * ({@link #countByKey}, {@link #collectAsMap}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PairDataset<K, V> implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Keys sampled per input partition, at least, to choose {@link #sortByKey}'s ranges. */
    static final int SAMPLE_PER_PARTITION = 64;
    /** Keys sampled per output partition of {@link #sortByKey}, over all input partitions (as Spark: 20, three times over). */
    static final int SAMPLE_PER_RANGE = 60;
    /** Keys sampled per input partition, at most. */
    static final int MAX_SAMPLE_PER_PARTITION = 10_000;

    private final Dataset<Pair<K, V>> pairs;

    PairDataset(Dataset<Pair<K, V>> pairs) {
        this.pairs = requireNonNull(pairs, "pairs is null");
    }

    /** The pairs as a plain dataset. */
    public Dataset<Pair<K, V>> dataset() {
        return pairs;
    }

    /** The keys, in order, duplicates kept. Lazy. */
    public Dataset<K> keys() {
        return pairs.map(Pair::key);
    }

    /** The values, in order. Lazy. */
    public Dataset<V> values() {
        return pairs.map(Pair::value);
    }

    /** Each value replaced by what {@code function} returns for it; keys and partitions kept. Lazy. */
    public <W> PairDataset<K, W> mapValues(MapFunction<? super V, ? extends W> function) {
        requireNonNull(function, "function is null");
        return new PairDataset<>(pairs.map(pair -> new Pair<K, W>(pair.key(), function.call(pair.value()))));
    }

    // ---------------------------------------------------------------------------- combining by key

    /**
     * One pair per key, its values combined with {@code function} (associative and commutative:
     * the order in which values meet is not defined), in {@code partitions} partitions.
     */
    public PairDataset<K, V> reduceByKey(ReduceFunction<V> function, int partitions) {
        requireNonNull(function, "function is null");
        return combineByKey(value -> value, function::call, function, partitions);
    }

    /** {@link #reduceByKey(ReduceFunction, int)} into as many partitions as this dataset has. */
    public PairDataset<K, V> reduceByKey(ReduceFunction<V> function) {
        return reduceByKey(function, pairs.numPartitions());
    }

    /**
     * One pair per key, its values folded into a copy of {@code zero} with {@code add}, and the
     * folds of different map tasks merged with {@code merge}. {@code zero} is serialized with the
     * stage, so every key starts from its own copy; {@code add} may update and return the
     * accumulator.
     */
    public <U extends Serializable> PairDataset<K, U> aggregateByKey(U zero, CombineFunction<U, ? super V> add,
                                                                     ReduceFunction<U> merge, int partitions) {
        requireNonNull(zero, "zero is null");
        requireNonNull(add, "add is null");
        requireNonNull(merge, "merge is null");
        byte[] zeroBytes = SerializedValue.of(zero);
        return combineByKey(value -> add.call(SerializedValue.<U>read(zeroBytes), value), add, merge, partitions);
    }

    /**
     * One pair per key, combined the general way: the key's first value in a map task becomes a
     * combiner ({@code create}), further values are folded in ({@code add}), and the combiners of
     * different map tasks are merged ({@code merge}) after the shuffle.
     */
    public <C> PairDataset<K, C> combineByKey(MapFunction<? super V, C> create, CombineFunction<C, ? super V> add,
                                              ReduceFunction<C> merge, int partitions) {
        Aggregator<V, C> aggregator = new Aggregator<>(create, add, merge);
        ShuffleDependency<K, V, C> dependency = new ShuffleDependency<>(pairs, new HashPartitioner(partitions),
                aggregator);
        return new PairDataset<>(new ShuffledDataset<>(dependency, aggregator, null));
    }

    /**
     * One pair per key with all its values, in {@code partitions} partitions. Every value crosses the
     * network and a key's values must fit in a task's memory: prefer {@link #reduceByKey} or
     * {@link #aggregateByKey} when the values are to be combined.
     */
    public PairDataset<K, List<V>> groupByKey(int partitions) {
        ShuffleDependency<K, V, V> dependency = new ShuffleDependency<>(pairs, new HashPartitioner(partitions), null);
        Aggregator<V, List<V>> grouping = new Aggregator<>(value -> {
            List<V> values = new ArrayList<>();
            values.add(value);
            return values;
        }, (values, value) -> {
            values.add(value);
            return values;
        }, (left, right) -> {
            left.addAll(right);
            return left;
        }, CombinerSplitter.lists());
        return new PairDataset<>(new ShuffledDataset<K, V, List<V>>(castToCombined(dependency), grouping, null));
    }

    /** {@link #groupByKey(int)} into as many partitions as this dataset has. */
    public PairDataset<K, List<V>> groupByKey() {
        return groupByKey(pairs.numPartitions());
    }

    /** How many records each key has; an action. */
    public Map<K, Long> countByKey() {
        return mapValues(value -> 1L).reduceByKey(Long::sum).collectAsMap();
    }

    // ---------------------------------------------------------------------------------- partitions

    /** The same pairs, each in the partition {@code partitioner} gives its key, through a shuffle. Lazy. */
    public PairDataset<K, V> partitionBy(Partitioner partitioner) {
        ShuffleDependency<K, V, V> dependency = new ShuffleDependency<>(pairs, requireNonNull(partitioner,
                "partitioner is null"), null);
        return new PairDataset<>(new ShuffledDataset<>(dependency, null, null));
    }

    /**
     * The pairs sorted by key across {@code partitions} partitions: every key of partition {@code i}
     * sorts before (or, descending, after) every key of partition {@code i + 1}, and each partition is
     * sorted. Runs a job at once that samples the keys of every partition (uniformly over the whole
     * partition, each partition's sample weighted by its size), so sorted, skewed or unevenly
     * partitioned input still gets balanced ranges; the sort itself is lazy.
     *
     * @param order a serializable comparator, e.g. {@code Comparator.naturalOrder()} for Comparable keys
     */
    public PairDataset<K, V> sortByKey(Comparator<? super K> order, boolean ascending, int partitions) {
        requireNonNull(order, "order is null");
        if (!(order instanceof Serializable)) {
            throw new IllegalArgumentException("the key order is shipped to executors, so it must be serializable: "
                    + order);
        }
        int inputs = Math.max(1, pairs.numPartitions());
        int perPartition = (int) Math.min(MAX_SAMPLE_PER_PARTITION, Math.max(SAMPLE_PER_PARTITION,
                ((long) SAMPLE_PER_RANGE * partitions + inputs - 1) / inputs));
        List<PartitionSample<K>> samples = pairs.mapPartitionsWithIndex((index, records) ->
                List.of(PartitionSample.of(index, records, perPartition)).iterator()).collect();
        List<RangePartitioner.Weighted<K>> weighted = new ArrayList<>();
        for (PartitionSample<K> sample : samples) {
            double weight = (double) sample.records() / Math.max(1, sample.keys().size());
            for (K key : sample.keys()) {
                weighted.add(new RangePartitioner.Weighted<>(key, weight));
            }
        }
        RangePartitioner<K> ranges = RangePartitioner.fromWeightedSample(weighted, partitions, order, ascending);
        ShuffleDependency<K, V, V> dependency = new ShuffleDependency<>(pairs, ranges, null);
        Comparator<? super K> within = ascending ? order : reversed(order);
        return new PairDataset<>(new ShuffledDataset<>(dependency, null, within));
    }

    /** {@link #sortByKey(Comparator, boolean, int)} by the keys' natural order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public PairDataset<K, V> sortByKey(boolean ascending) {
        Comparator natural = Comparator.naturalOrder();
        return sortByKey((Comparator<? super K>) natural, ascending, pairs.numPartitions());
    }

    private static <K> Comparator<K> reversed(Comparator<? super K> order) {
        return (Comparator<K> & Serializable) (a, b) -> order.compare(b, a);
    }

    // --------------------------------------------------------------------------------------- joins

    /**
     * Each key with the values of both sides that have it, through one shuffle of each side into
     * {@code partitions} partitions.
     */
    public <W> PairDataset<K, Pair<List<V>, List<W>>> cogroup(PairDataset<K, W> other, int partitions) {
        requireNonNull(other, "other is null");
        HashPartitioner partitioner = new HashPartitioner(partitions);
        return new PairDataset<>(new CoGroupedDataset<>(new ShuffleDependency<K, V, V>(pairs, partitioner, null),
                new ShuffleDependency<K, W, W>(other.pairs, partitioner, null)));
    }

    /**
     * The inner join: a pair for every combination of a left and a right value of the same key, made
     * as they are read (a key's values on both sides must fit in memory, their product need not).
     */
    public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other, int partitions) {
        return new PairDataset<>(cogroup(other, partitions).pairs.flatMap(group ->
                CrossProduct.inner(group.key(), group.value().key(), group.value().value())));
    }

    /** {@link #join(PairDataset, int)} into as many partitions as this dataset has. */
    public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other) {
        return join(other, pairs.numPartitions());
    }

    /**
     * The left outer join: as {@link #join}, and every left value whose key the right side lacks,
     * paired with {@code null}.
     */
    public <W> PairDataset<K, Pair<V, W>> leftOuterJoin(PairDataset<K, W> other, int partitions) {
        return new PairDataset<>(cogroup(other, partitions).pairs.flatMap(group ->
                CrossProduct.leftOuter(group.key(), group.value().key(), group.value().value())));
    }

    /** {@link #leftOuterJoin(PairDataset, int)} into as many partitions as this dataset has. */
    public <W> PairDataset<K, Pair<V, W>> leftOuterJoin(PairDataset<K, W> other) {
        return leftOuterJoin(other, pairs.numPartitions());
    }

    // ------------------------------------------------------------------------------------- actions

    /** Every pair, collected to the driver; an action. */
    public List<Pair<K, V>> collect() {
        return pairs.collect();
    }

    /** The pairs as a map (a later pair of a key replaces an earlier one); an action. */
    public Map<K, V> collectAsMap() {
        Map<K, V> map = new HashMap<>();
        for (Pair<K, V> pair : pairs.collect()) {
            map.put(pair.key(), pair.value());
        }
        return map;
    }

    /** How many pairs; an action. */
    public long count() {
        return pairs.count();
    }

    /** Keeps the shuffled partitions in executors' memory once computed (see {@link Dataset#persist()}). */
    public PairDataset<K, V> cache() {
        pairs.cache();
        return this;
    }

    @SuppressWarnings("unchecked")
    private static <K, V, C> ShuffleDependency<K, V, C> castToCombined(ShuffleDependency<K, V, V> dependency) {
        return (ShuffleDependency<K, V, C>) (ShuffleDependency<?, ?, ?>) dependency;
    }

    @Override
    public String toString() {
        return "PairDataset[" + pairs + "]";
    }
}
