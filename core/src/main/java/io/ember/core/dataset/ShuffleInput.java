package io.ember.core.dataset;

import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleReader;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.task.TaskContext;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/** Reads the records of one reduce partition of a shuffle, on an executor. */
final class ShuffleInput {

    private ShuffleInput() {
    }

    /**
     * The records of reduce partition {@code reduceId}, read block by block as the iterator is
     * consumed; the reader is closed when the last record has been read.
     */
    static <R> Iterator<R> stream(int shuffleId, int reduceId, TaskContext context) {
        List<MapBlock> blocks = MapStatus.blocks(shuffleId, reduceId, context.mapOutputs(shuffleId));
        if (blocks.isEmpty()) {
            return Collections.emptyIterator();
        }
        ShuffleReader reader = context.shuffle().reader(blocks);
        return new Iterator<>() {
            private Iterator<Object> records = Collections.emptyIterator();
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
                    throw new NoSuchElementException();
                }
                return (R) records.next();
            }
        };
    }

    /** Hands every record of reduce partition {@code reduceId} of the shuffle to {@code sink}. */
    static <R> void read(int shuffleId, int reduceId, TaskContext context, Consumer<R> sink) {
        ShuffleInput.<R>stream(shuffleId, reduceId, context).forEachRemaining(sink);
    }
}
