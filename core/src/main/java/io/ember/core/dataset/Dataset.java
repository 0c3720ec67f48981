package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.dataset.PartitionActions.Reduced;
import io.ember.core.function.FilterFunction;
import io.ember.core.function.FlatMapFunction;
import io.ember.core.function.ForeachFunction;
import io.ember.core.function.ForeachPartitionFunction;
import io.ember.core.function.IndexedPartitionFunction;
import io.ember.core.function.MapFunction;
import io.ember.core.function.PartitionFunction;
import io.ember.core.function.ReduceFunction;
import io.ember.core.job.Job;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobResult;
import io.ember.core.shuffle.HashPartitioner;
import io.ember.core.task.BlockId;
import io.ember.core.task.BlockStore;
import io.ember.core.task.TaskContext;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.IntStream;

// Longer than 400 lines because it is the application's dataset API, each transformation and action with
// its contract; the work behind them lives in the classes they create.
/**
 * A partitioned collection of records that the driver computes on executors.
 *
 * <p><b>Transformations</b> ({@link #map}, {@link #filter}, {@link #mapPartitions}, ...) are lazy:
 * they return a new dataset that only remembers its parent and the function, and compute nothing.
 * All of them are narrow: partition {@code p} of the result is computed from partition {@code p}
 * of the parent alone, so the result has the parent's number of partitions. <b>Actions</b>
 * ({@link #collect}, {@link #count}, {@link #reduce}, {@link #saveAsTextFile}, ...) run one or more
 * jobs through the driver's {@link JobRunner}, one task per partition, block until they finish and
 * return their value; a failed job throws {@link JobFailedException} whose cause is the task's
 * original error.
 *
 * <p>When an action runs, the dataset and its lineage (parents and functions) are serialized and
 * shipped to executors, which call {@link #iterator} there; the functions and whatever they capture
 * must therefore be serializable. The executors' copies have no {@link JobRunner}: a dataset can
 * only be transformed, persisted or acted on from the driver, never from inside a function.
 *
 * <p><b>Persistence.</b> {@link #persist()} marks a dataset so that executors keep its computed
 * partitions in memory (their {@link BlockStore}) the first time an action
 * computes them, and later actions read them from there. An evicted or lost partition is simply
 * computed again from the lineage, so results never depend on what is cached.
 *
 * <p><b>Threading.</b> A dataset is immutable apart from its persisted flag (a volatile field), so
 * it is safe to share across driver threads and to run actions on it from several threads at once.
 *
 * <p><b>Writing a source.</b> Subclasses implement {@link #numPartitions()} and {@link #compute};
 * {@link #compute} must derive partition {@code p} from the dataset's own (serialized) fields, and
 * those fields should stay small, since they are shipped with every stage that reads the dataset.
 *
 * @param <T> the record type
 */
public abstract class Dataset<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int id;
    private final transient JobRunner runner;
    private volatile boolean persisted;

    /**
     * Creates a dataset with a fresh id from {@code runner}.
     *
     * @param runner the driver's job runner
     */
    protected Dataset(JobRunner runner) {
        this.runner = requireNonNull(runner, "runner is null");
        this.id = runner.newDatasetId();
        if (id < 0) {
            throw new IllegalStateException("dataset ids must be >= 0: " + id);
        }
    }

    /** The dataset's id, unique within the application. */
    public final int id() {
        return id;
    }

    /** The number of partitions; fixed when the dataset is created. */
    public abstract int numPartitions();

    /**
     * Computes the records of partition {@code partition}, on an executor. Called by
     * {@link #iterator}, at most once per task unless the dataset is read twice in one lineage;
     * possibly on several task threads at once for different partitions, so it must not keep
     * per-partition state in fields.
     *
     * @param partition the partition, between 0 and {@link #numPartitions()} - 1
     * @param context the running task
     * @return the partition's records, possibly computed lazily as they are read
     */
    protected abstract Iterator<T> compute(int partition, TaskContext context);

    /**
     * The dataset whose partition {@code p} this dataset's partition {@code p} is computed from, or
     * {@code null} when there is none: a source, or a dataset whose input comes from another stage.
     * Used to find the cached datasets a task reads ({@link #cachedLineage()}).
     */
    protected Dataset<?> narrowParent() {
        return null;
    }

    /**
     * The shuffles this dataset reads directly (its input comes from another stage through them);
     * empty for datasets computed from a narrow parent or a source.
     */
    protected List<ShuffleDependency<?, ?, ?>> shuffleDependencies() {
        return List.of();
    }

    /**
     * The shuffles a stage computing this dataset reads: those of this dataset and of every
     * dataset reached through narrow dependencies. Their map stages must have run first.
     */
    public final List<ShuffleDependency<?, ?, ?>> stageInputs() {
        List<ShuffleDependency<?, ?, ?>> inputs = new ArrayList<>();
        for (Dataset<?> dataset = this; dataset != null; dataset = dataset.narrowParent()) {
            inputs.addAll(dataset.shuffleDependencies());
        }
        return inputs;
    }

    /**
     * The records of partition {@code partition}, on an executor: read from or kept in the
     * executor's cached partitions when this dataset is persisted, else computed.
     *
     * @param partition the partition, between 0 and {@link #numPartitions()} - 1
     * @param context the running task
     * @throws IndexOutOfBoundsException when there is no such partition
     */
    public final Iterator<T> iterator(int partition, TaskContext context) {
        requireNonNull(context, "context is null");
        Objects.checkIndex(partition, numPartitions());
        if (persisted) {
            return context.blocks().getOrCompute(new BlockId(id, partition), () -> compute(partition, context));
        }
        return compute(partition, context);
    }

    /**
     * The ids of the persisted datasets in this dataset's lineage, this one included, nearest first.
     * Every dependency followed is one-to-one on partitions, so partition {@code p} of a job on this
     * dataset reads partition {@code p} of each of them.
     */
    public final int[] cachedLineage() {
        IntStream.Builder ids = IntStream.builder();
        for (Dataset<?> dataset = this; dataset != null; dataset = dataset.narrowParent()) {
            if (dataset.persisted) {
                ids.add(dataset.id);
            }
        }
        return ids.build().toArray();
    }

    // ---------------------------------------------------------------------------------- persistence

    /**
     * Marks this dataset to be kept in executors' memory once computed; takes effect with the next
     * action. Memory only: a partition that does not fit is computed again when it is needed.
     *
     * @return this dataset
     * @throws IllegalStateException on an executor's copy of the dataset
     */
    public final Dataset<T> persist() {
        JobRunner jobs = runner();
        if (!persisted) {
            jobs.datasetPersisted(this);
        }
        persisted = true;
        return this;
    }

    /**
     * The same as {@link #persist()}.
     *
     * @return this dataset
     */
    public final Dataset<T> cache() {
        return persist();
    }

    /**
     * Clears the persisted flag and drops this dataset's cached partitions on every executor.
     *
     * @return this dataset
     * @throws IllegalStateException on an executor's copy of the dataset
     */
    public final Dataset<T> unpersist() {
        JobRunner jobs = runner();
        persisted = false;
        jobs.unpersist(id);
        return this;
    }

    /** Whether this dataset is marked to be kept in executors' memory. */
    public final boolean isPersisted() {
        return persisted;
    }

    // ------------------------------------------------------------------------------ transformations

    /**
     * A dataset of {@code function} applied to each record. Lazy.
     *
     * @param function runs on executors, once per record
     */
    public final <R> Dataset<R> map(MapFunction<? super T, ? extends R> function) {
        return MapPartitionsDataset.map(this, requireNonNull(function, "function is null"));
    }

    /**
     * A dataset of the records {@code function} returns for each record, in order. Lazy.
     *
     * @param function runs on executors, once per record; returns an iterator, never {@code null}
     */
    public final <R> Dataset<R> flatMap(FlatMapFunction<? super T, ? extends R> function) {
        return MapPartitionsDataset.flatMap(this, requireNonNull(function, "function is null"));
    }

    /**
     * A dataset of the records for which {@code function} is true, in order. Lazy.
     *
     * @param function runs on executors, once per record
     */
    public final Dataset<T> filter(FilterFunction<? super T> function) {
        return MapPartitionsDataset.filter(this, requireNonNull(function, "function is null"));
    }

    /**
     * A dataset whose partition {@code p} is what {@code function} returns for the records of
     * partition {@code p}. Lazy.
     *
     * @param function runs on executors, once per partition; returns an iterator, never {@code null}
     */
    public final <R> Dataset<R> mapPartitions(PartitionFunction<? super T, ? extends R> function) {
        return MapPartitionsDataset.mapPartitions(this, requireNonNull(function, "function is null"));
    }

    /**
     * As {@link #mapPartitions}, with the partition's index passed to {@code function}. Lazy.
     *
     * @param function runs on executors, once per partition; returns an iterator, never {@code null}
     */
    public final <R> Dataset<R> mapPartitionsWithIndex(IndexedPartitionFunction<? super T, ? extends R> function) {
        return MapPartitionsDataset.mapPartitionsWithIndex(this, requireNonNull(function, "function is null"));
    }

    /**
     * A dataset of pairs of {@code function}'s result (the key) and the record (the value). Lazy.
     *
     * @param function runs on executors, once per record
     */
    /**
     * A pair dataset of {@code function} applied to each record, for the operations on keys. Lazy.
     *
     * @param function runs on executors, once per record; returns a pair, never {@code null}
     */
    public final <K, V> PairDataset<K, V> mapToPair(MapFunction<? super T, Pair<K, V>> function) {
        return new PairDataset<>(map(function));
    }

    /**
     * This dataset seen as pairs, for the operations on keys; its records must be {@link Pair}s
     * (else a task fails with a {@link ClassCastException}).
     */
    @SuppressWarnings("unchecked")
    public final <K, V> PairDataset<K, V> pairs() {
        return new PairDataset<>((Dataset<Pair<K, V>>) (Dataset<?>) this);
    }

    /** The distinct records, in {@code partitions} partitions, through a shuffle. Lazy. */
    public final Dataset<T> distinct(int partitions) {
        return this.<T, Boolean>mapToPair(record -> new Pair<>(record, Boolean.TRUE))
                .reduceByKey((a, b) -> a, partitions).keys();
    }

    /** The distinct records, in as many partitions as this dataset has. Lazy. */
    public final Dataset<T> distinct() {
        return distinct(numPartitions());
    }

    /** The same records spread evenly over {@code partitions} partitions, through a shuffle. Lazy. */
    public final Dataset<T> repartition(int partitions) {
        return mapPartitionsWithIndex((index, records) -> {
            long[] next = {index};
            return RecordIterators.map(records, record -> new Pair<>(next[0]++, record));
        }).<Long, T>pairs().partitionBy(new HashPartitioner(partitions)).values();
    }

    public final <K> Dataset<Pair<K, T>> keyBy(MapFunction<? super T, ? extends K> function) {
        requireNonNull(function, "function is null");
        return MapPartitionsDataset.map(this, (T value) -> new Pair<K, T>(function.call(value), value));
    }

    // -------------------------------------------------------------------------------------- actions

    /**
     * All records, in partition order (and in order within each partition). Runs one job; every
     * record travels to the driver, so use it only on datasets that fit in the driver's memory.
     *
     * @return a new list, owned by the caller
     */
    public final List<T> collect() {
        List<ArrayList<T>> partitions = runJob("collect", allPartitions(), PartitionActions.collect());
        int size = 0;
        for (List<T> partition : partitions) {
            size += partition.size();
        }
        List<T> records = new ArrayList<>(size);
        partitions.forEach(records::addAll);
        return records;
    }

    /** The number of records. Runs one job. */
    public final long count() {
        long total = 0;
        for (long partition : this.<Long>runJob("count", allPartitions(), PartitionActions.count())) {
            total += partition;
        }
        return total;
    }

    /**
     * The records combined with {@code function}: within each partition on the executors, then the
     * partitions' results on the driver. Runs one job.
     *
     * @param function associative and commutative
     * @throws NoSuchElementException when the dataset is empty
     * @throws JobFailedException when {@code function} failed; its cause is the function's error
     */
    public final T reduce(ReduceFunction<T> function) {
        requireNonNull(function, "function is null");
        boolean found = false;
        T total = null;
        for (Reduced<T> partial : runJob("reduce", allPartitions(), PartitionActions.reduce(function))) {
            if (partial != null) {
                total = found ? combine(function, total, partial.value()) : partial.value();
                found = true;
            }
        }
        if (!found) {
            throw new NoSuchElementException("cannot reduce: the dataset is empty (" + this + ")");
        }
        return total;
    }

    private static <T> T combine(ReduceFunction<T> function, T left, T right) {
        try {
            return function.call(left, right);
        } catch (Exception e) {
            throw new JobFailedException("the reduce function failed on the driver while combining the partitions' "
                    + "results: " + e, e);
        }
    }

    /**
     * Calls {@code function} on each record, on the executors. Runs one job.
     *
     * @param function runs on executors, once per record
     */
    public final void foreach(ForeachFunction<? super T> function) {
        runJob("foreach", allPartitions(), PartitionActions.foreach(requireNonNull(function, "function is null")));
    }

    /**
     * Calls {@code function} on each partition's records, on the executors. Runs one job.
     *
     * @param function runs on executors, once per partition
     */
    public final void foreachPartition(ForeachPartitionFunction<? super T> function) {
        runJob("foreachPartition", allPartitions(),
                PartitionActions.foreachPartition(requireNonNull(function, "function is null")));
    }

    /**
     * The first {@code n} records, in partition order; fewer when the dataset has fewer. Computes as
     * few partitions as it can: the first job reads partition 0 only; each next job reads the
     * partitions that the rows found so far suggest are still needed (at most four times as many as
     * have been read), and each task returns at most the rows still missing.
     *
     * @param n how many records, {@code >= 0}
     * @return a new list, owned by the caller
     */
    public final List<T> take(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        runner();
        List<T> taken = new ArrayList<>(Math.min(n, 1024));
        int total = numPartitions();
        int scanned = 0;
        while (taken.size() < n && scanned < total) {
            int scan = TakeScan.partitionsToScan(scanned, taken.size(), n, total);
            int missing = n - taken.size();
            List<ArrayList<T>> rows = runJob("take", IntStream.range(scanned, scanned + scan).toArray(),
                    PartitionActions.take(missing));
            for (List<T> partition : rows) {
                taken.addAll(partition.subList(0, Math.min(partition.size(), n - taken.size())));
            }
            scanned += scan;
        }
        return taken;
    }

    /**
     * The first record, as {@link #take take(1)} finds it.
     *
     * @throws NoSuchElementException when the dataset is empty
     */
    public final T first() {
        List<T> first = take(1);
        if (first.isEmpty()) {
            throw new NoSuchElementException("no first record: the dataset is empty (" + this + ")");
        }
        return first.get(0);
    }

    /**
     * Writes each record's {@link String#valueOf(Object)} as a UTF-8 line into a new directory
     * {@code path}, one {@code part-NNNNN} file per partition, then an empty {@code _SUCCESS} file.
     * Runs one job. Executors write to the same {@code path}, so in a cluster it must be on a shared
     * filesystem: a task whose executor does not see the directory the driver created (checked by a
     * random token the driver leaves in {@code path/_temporary}, so a same-named directory on the
     * executor's own disk does not pass) fails the job at once, without retries, with one line naming
     * the directory and the executor's host, instead of leaving parts on hosts nobody reads. Each
     * task writes a temporary file under {@code path/_temporary} and renames it into place, so a
     * retried task leaves exactly one copy of its partition.
     *
     * @param path the output directory; must not exist
     * @throws IllegalArgumentException when {@code path} already exists (before any job runs)
     * @throws UncheckedIOException when the directory cannot be created or committed
     */
    public final void saveAsTextFile(String path) {
        requireNonNull(path, "path is null");
        runner();
        TextFileOutput output = TextFileOutput.prepare(path);
        try {
            runJob("saveAsTextFile", allPartitions(), PartitionActions.saveAsText(output));
        } catch (RuntimeException | Error e) {
            output.abort(e);
            throw e;
        }
        output.commit();
    }

    // ------------------------------------------------------------------------------------- internals

    /**
     * The driver's job runner.
     *
     * @throws IllegalStateException on an executor's copy of the dataset
     */
    protected final JobRunner runner() {
        if (runner == null) {
            throw new IllegalStateException("datasets can only be used on the driver; " + this + " is an executor's "
                    + "copy (was a dataset captured by a function?). Transform or act on it from the driver "
                    + "program instead.");
        }
        return runner;
    }

    private <R> List<R> runJob(String action, int[] partitions, PartitionAction<T, R> perPartition) {
        JobRunner jobs = runner();
        Job job = new Job(CallSite.describe(action), new ActionStage<>(this, perPartition), partitions,
                cachedLineage(), stageInputs());
        JobResult<R> result = jobs.runJob(job);
        return result.results();
    }

    private int[] allPartitions() {
        return IntStream.range(0, numPartitions()).toArray();
    }

    /** E.g. {@code RangeDataset[id=0, partitions=4]}; subclasses add what identifies them. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + id + ", partitions=" + numPartitions() + describe() + "]";
    }

    /**
     * What {@link #toString()} adds after the id and partitions, starting with {@code ", "}; empty
     * by default.
     */
    protected String describe() {
        return "";
    }
}
