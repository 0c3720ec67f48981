package io.ember.core.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.MapOutput;
import io.ember.api.shuffle.ShuffleWriter;
import io.ember.core.dataset.Dataset;
import io.ember.core.dataset.JobRunner;
import io.ember.core.task.TaskContext;
import java.io.Serial;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * A map stage for tests: each partition is a map task that writes one small block per reduce
 * partition through its executor's shuffle ({@code context.shuffle()}), commits, and returns where
 * the output is and how long each block is.
 */
final class ShuffleWritingDataset extends Dataset<ShuffleWritingDataset.Written> {

    @Serial
    private static final long serialVersionUID = 1L;

    static final int SHUFFLE_ID = 7;
    static final int REDUCE_PARTITIONS = 2;

    /**
     * What a map task wrote, and where it can be fetched.
     *
     * @param executorId the executor that wrote it
     * @param host the host its shuffle is served on
     * @param port the port its shuffle is served on (the host's service, or the executor's own server)
     * @param mapId the map task's id (its partition)
     * @param lengths each reduce partition's block length
     */
    record Written(String executorId, String host, int port, long mapId, long[] lengths) implements Serializable {

        BlockLocation location() {
            return new BlockLocation(executorId, host, port);
        }
    }

    private final int partitions;

    ShuffleWritingDataset(JobRunner runner, int partitions) {
        super(runner);
        this.partitions = partitions;
    }

    /** The bytes map task {@code mapId} writes for reduce partition {@code reduceId}. */
    static byte[] payload(long mapId, int reduceId) {
        return ("map " + mapId + " for reduce " + reduceId).getBytes(UTF_8);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    protected Iterator<Written> compute(int partition, TaskContext context) {
        ExecutorShuffle shuffle = context.shuffle();
        MapOutput output;
        try (ShuffleWriter writer = shuffle.writer(SHUFFLE_ID, partition, REDUCE_PARTITIONS)) {
            for (int reduce = 0; reduce < REDUCE_PARTITIONS; reduce++) {
                byte[] record = payload(partition, reduce);
                writer.write(reduce, record, 0, record.length);
            }
            output = writer.commit();
        }
        BlockLocation location = shuffle.location();
        return List.of(new Written(location.executorId(), location.host(), location.port(), partition,
                output.lengths())).iterator();
    }
}
