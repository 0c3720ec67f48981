package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.MapOutput;
import io.ember.api.shuffle.ShuffleWriter;
import io.ember.core.memory.PluginMemoryConsumer;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.shuffle.Partitioner;
import io.ember.core.storage.SizeEstimator;
import io.ember.core.task.StageCode;
import io.ember.core.task.TaskContext;
import java.util.Iterator;

/**
 * The code of a map stage: computes a partition of the dependency's parent and writes each record
 * to the reduce partition of its key, through the executor's shuffle. With a map-side combine,
 * values are first combined per key in memory, within the task's memory budget ({@link MapSideCombine}:
 * the table is written out whenever the task cannot give it more, and the reduce side merges the
 * partial combiners). Its result is the {@link MapStatus}; the records
 * it wrote and the bytes of its blocks go to the task's {@link TaskContext#shuffleCounts()}.
 *
 * <p>Holds nothing per task; one deserialized copy serves every task thread.
 */
final class ShuffleMapStage<K, V, C> implements StageCode {

    private static final long serialVersionUID = 1L;
    private static final SizeEstimator ESTIMATOR = new SizeEstimator();

    private final ShuffleDependency<K, V, C> dependency;

    ShuffleMapStage(ShuffleDependency<K, V, C> dependency) {
        this.dependency = requireNonNull(dependency, "dependency is null");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object runTask(int partition, TaskContext context) {
        Partitioner partitioner = dependency.partitioner();
        RecordSerializer.Encoder encoder = context.records().newEncoder();
        MapOutput output;
        long written = 0;
        try (ShuffleWriter writer = context.shuffle().writer(dependency.shuffleId(), context.taskId(),
                partitioner.partitions(), new PluginMemoryConsumer(context.memory(), "the shuffle writer of task "
                        + context.taskId()))) {
            Iterator<? extends Pair<K, V>> records = dependency.parent().iterator(partition, context);
            if (dependency.mapSideCombine()) {
                MapSideCombine<K, V, C> combine = new MapSideCombine<>(context, dependency.aggregator(), ESTIMATOR,
                        table -> table.forEach((key, combiner) -> write(new Pair<>(key, combiner), writer, encoder,
                                partitioner)));
                combine.insertAll(records);
                written = combine.finish();
            } else {
                while (records.hasNext()) {
                    Pair<K, V> record = records.next();
                    write(record, writer, encoder, partitioner);
                    written++;
                    context.throwIfKilled();
                }
            }
            output = writer.commit();
        }
        MapStatus status = new MapStatus(partition, context.taskId(), context.shuffle().location(), output.lengths(),
                output.spills(), context.shuffle().outlivesExecutor());
        context.shuffleCounts().written(written, status.bytes());
        return status;
    }

    private static void write(Pair<?, ?> record, ShuffleWriter writer, RecordSerializer.Encoder encoder,
                              Partitioner partitioner) {
        encoder.reset();
        encoder.write(record);
        writer.write(partitioner.partition(record.key()), encoder.array(), 0, encoder.size());
    }

    @Override
    public String toString() {
        return "ShuffleMapStage[" + dependency + "]";
    }
}
