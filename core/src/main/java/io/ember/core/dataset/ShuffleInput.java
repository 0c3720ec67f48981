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

    private static List<MapBlock> blocks(int shuffleId, int reduceId, TaskContext context) {
        List<MapBlock> blocks = new ArrayList<>();
        for (MapStatus status : context.mapOutputs(shuffleId)) {
            long length = status.lengths()[reduceId];
            if (length > 0) {
                blocks.add(new MapBlock(new ShuffleBlockId(shuffleId, status.mapId(), reduceId), status.location(),
                        length));
            }
        }
        return blocks;
    }

    /**
     * The records of reduce partition {@code reduceId}, read block by block as the iterator is
     * consumed; the reader is closed when the last record has been read.
     */
    static <R> Iterator<R> stream(int shuffleId, int reduceId, TaskContext context) {
        List<MapBlock> blocks = blocks(shuffleId, reduceId, context);
        if (blocks.isEmpty()) {
            return java.util.Collections.emptyIterator();
        }
        ShuffleReader reader = context.shuffle().reader(blocks);
        return new Iterator<>() {
            private Iterator<Object> records = java.util.Collections.emptyIterator();
            private boolean done;

            @Override
            public boolean hasNext() {
                while (!done && !records.hasNext()) {
                    if (reader.hasNext()) {
                        records = context.records().read(reader.next().data());
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
                    throw new java.util.NoSuchElementException();
                }
                return (R) records.next();
            }
        };
    }

    /** Hands every record of reduce partition {@code reduceId} of the shuffle to {@code sink}. */
    static <R> void read(int shuffleId, int reduceId, TaskContext context, Consumer<R> sink) {
        List<MapBlock> blocks = blocks(shuffleId, reduceId, context);
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
