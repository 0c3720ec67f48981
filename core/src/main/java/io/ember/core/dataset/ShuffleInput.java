package io.ember.core.dataset;

import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleBlock;
import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.api.shuffle.ShuffleReader;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.task.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/** Reads the records of one reduce partition of a shuffle, on an executor. */
final class ShuffleInput {

    private ShuffleInput() {
    }

    /** Hands every record of reduce partition {@code reduceId} of the shuffle to {@code sink}. */
    static <R> void read(int shuffleId, int reduceId, TaskContext context, Consumer<R> sink) {
        List<MapBlock> blocks = new ArrayList<>();
        for (MapStatus status : context.mapOutputs(shuffleId)) {
            long length = status.lengths()[reduceId];
            if (length > 0) {
                blocks.add(new MapBlock(new ShuffleBlockId(shuffleId, status.mapId(), reduceId), status.location(),
                        length));
            }
        }
        if (blocks.isEmpty()) {
            return;
        }
        try (ShuffleReader reader = context.shuffle().reader(blocks)) {
            while (reader.hasNext()) {
                ShuffleBlock block = reader.next();
                Iterator<Object> records = context.records().read(block.data());
                while (records.hasNext()) {
                    @SuppressWarnings("unchecked")
                    R record = (R) records.next();
                    sink.accept(record);
                }
                context.throwIfKilled();
            }
        }
    }
}
