package io.ember.core.dataset;

import io.ember.core.memory.MemoryConsumer;
import io.ember.core.storage.SizeEstimator;
import io.ember.core.task.TaskContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What a reduce task's spilling buffers share: a buffer that grows with the records inserted, asks
 * the task's memory for twice its estimated size whenever it outgrows what it holds, and when it is
 * refused (or another buffer of the task asks it to) writes itself to a spill file and starts again
 * empty; once {@link #startReading() read}, it can no longer spill and gives its memory back when its
 * last record has been read (or when the task ends).
 *
 * <p>Used by one task's thread.
 */
abstract class SpillingBuffer extends MemoryConsumer {

    protected final TaskContext context;
    protected final SpillFiles files;
    private final SizeTracker size;
    private final List<Path> spills = new ArrayList<>();
    private boolean reading;

    SpillingBuffer(TaskContext context, SizeEstimator estimator) {
        super(context.memory());
        this.context = context;
        this.files = new SpillFiles(context);
        this.size = new SizeTracker(estimator);
    }

    /** The in-memory buffer, for its size. */
    protected abstract Object buffer();

    /** Whether the in-memory buffer holds nothing. */
    protected abstract boolean bufferIsEmpty();

    /** Writes the in-memory buffer to {@code writer} and empties it. */
    protected abstract void writeBuffer(SpillFiles.Writer writer);

    /** After each insert: keeps the memory the buffer takes, or spills it when refused. */
    protected final void inserted() {
        if (reading) {
            throw new IllegalStateException("the buffer is being read");
        }
        if (!holds(size.updated(buffer()))) {
            long held = used();
            spillBuffer();
            context.memory().spilled(held);
        }
    }

    @Override
    public final long spill(long bytes) {
        if (reading || bufferIsEmpty()) {
            return 0;
        }
        long held = used();
        spillBuffer();
        return held;
    }

    /** From now on nothing is inserted and nothing spilled; returns the spill files written, in order. */
    protected final List<Path> startReading() {
        reading = true;
        return List.copyOf(spills);
    }

    /**
     * As {@link #startReading()}, but when the buffer has spilled, what it still holds goes to one more
     * spill file first and its memory is given back: the merge then holds only the files' buffers,
     * leaving the task's memory to what the merge itself builds. Returns every spill file, in order;
     * none when the buffer never spilled (it is then read from memory).
     */
    protected final List<Path> startReadingFromDisk() {
        if (!spills.isEmpty() && !bufferIsEmpty()) {
            spillBuffer();
        }
        return startReading();
    }

    /** {@code records}, giving this buffer's memory back once the last one has been read. */
    protected final <T> Iterator<T> releasingAtTheEnd(Iterator<T> records) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = records.hasNext();
                if (!more) {
                    releaseAll();
                }
                return more;
            }

            @Override
            public T next() {
                return records.next();
            }
        };
    }

    /** How many times the buffer went to a spill file. */
    final int spillCount() {
        return spills.size();
    }

    /** Bytes written to spill files. */
    final long spilledBytes() {
        return files.bytesWritten();
    }

    private void spillBuffer() {
        SpillFiles.Writer writer = files.create();
        writeBuffer(writer);
        spills.add(writer.finish());
        size.reset();
        releaseAll();
    }
}
