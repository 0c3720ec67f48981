package io.ember.core.dataset;

import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleBlock;
import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.api.shuffle.ShuffleReader;
import io.ember.core.memory.PluginMemoryConsumer;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.task.ShuffleCounts;
import io.ember.core.task.TaskContext;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Reads the records of one reduce partition of a shuffle, on an executor, counting what it reads in
 * the task's {@link TaskContext#shuffleCounts()}: each block's length (as its map task reported it)
 * when the reader delivers the block, and each record as the task takes it.
 */
final class ShuffleInput {

    private ShuffleInput() {
    }

    /**
     * The records of reduce partition {@code reduceId}, read block by block as the iterator is
     * consumed; the reader is closed when the last record has been read, or when the task ends
     * before that (an iterator {@code take} did not read to the end).
     */
    static <R> Iterator<R> stream(int shuffleId, int reduceId, TaskContext context) {
        List<MapBlock> blocks = MapStatus.blocks(shuffleId, reduceId, context.mapOutputs(shuffleId));
        if (blocks.isEmpty()) {
            return Collections.emptyIterator();
        }
        ShuffleReader reader = context.shuffle().reader(blocks,
                new PluginMemoryConsumer(context.memory(), "the shuffle reader of task " + context.taskId()));
        context.onCompletion(reader::close);   // idempotent: closing again after the last record does nothing
        return new Records<>(blocks, reader, context);
    }

    /** Hands every record of reduce partition {@code reduceId} of the shuffle to {@code sink}. */
    static <R> void read(int shuffleId, int reduceId, TaskContext context, Consumer<R> sink) {
        ShuffleInput.<R>stream(shuffleId, reduceId, context).forEachRemaining(sink);
    }

    /** The records of the blocks a reader delivers, in turn; on the task's thread. */
    private static final class Records<R> implements Iterator<R> {
        private final Map<ShuffleBlockId, MapBlock> blocks;
        private final ShuffleReader reader;
        private final TaskContext context;
        private final RecordSerializer serializer;
        private final ShuffleCounts counts;
        private Iterator<Object> records = Collections.emptyIterator();
        private boolean done;

        Records(List<MapBlock> blocks, ShuffleReader reader, TaskContext context) {
            this.blocks = new HashMap<>(blocks.size() * 4 / 3 + 1);
            for (MapBlock block : blocks) {
                this.blocks.put(block.id(), block);
            }
            this.reader = reader;
            this.context = context;
            this.serializer = context.records();
            this.counts = context.shuffleCounts();
        }

        @Override
        public boolean hasNext() {
            while (!done && !records.hasNext()) {
                if (reader.hasNext()) {
                    ShuffleBlock block = reader.next();
                    counts.blockRead(length(block.id()));
                    records = serializer.read(block.data());
                    context.throwIfKilled();
                } else {
                    done = true;
                    reader.close();
                }
            }
            return !done;
        }

        @Override
        @SuppressWarnings("unchecked")
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Object record = records.next();
            counts.recordRead();
            return (R) record;
        }

        /** The length the map task reported for a block this task asked for (0 for one it did not). */
        private long length(ShuffleBlockId id) {
            MapBlock block = blocks.get(id);
            return block == null ? 0 : block.length();
        }
    }
}
