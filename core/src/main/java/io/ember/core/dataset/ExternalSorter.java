package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.memory.MemoryConsumer;
import io.ember.core.storage.SizeEstimator;
import io.ember.core.task.TaskContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * A reduce task's sort that works on partitions larger than its memory: records are buffered while
 * the task's memory grants room for them; when refused, the buffer is sorted and written to a spill
 * file (a sorted run) and starts again empty. The result merges the buffer and every run in one pass
 * (k-way), streaming the records in order; records that compare equal keep no particular order.
 *
 * <p>Used by one task's thread; its spill files are deleted and its memory released when the task
 * ends.
 *
 * @param <T> the record type
 */
final class ExternalSorter<T> extends MemoryConsumer {

    private final TaskContext context;
    private final Comparator<? super T> order;
    private final SizeTracker size;
    private final SpillFiles files;
    private final List<Path> runs = new ArrayList<>();
    private List<T> buffer = new ArrayList<>();
    private boolean reading;

    ExternalSorter(TaskContext context, Comparator<? super T> order, SizeEstimator estimator) {
        super(context.memory());
        this.context = context;
        this.order = requireNonNull(order, "order is null");
        this.size = new SizeTracker(estimator);
        this.files = new SpillFiles(context);
    }

    void insert(T record) {
        if (reading) {
            throw new IllegalStateException("the sorter is being read");
        }
        buffer.add(record);
        reserveOrSpill(size.updated(buffer));
    }

    /** How many sorted runs went to spill files. */
    int spillCount() {
        return runs.size();
    }

    /** Bytes written to spill files. */
    long spilledBytes() {
        return files.bytesWritten();
    }

    @Override
    public long spill(long bytes) {
        if (reading || buffer.isEmpty()) {
            return 0;
        }
        long held = used();
        spillBuffer();
        return held;
    }

    /** Every record inserted, in order; streamed. The memory is given back once all are read, or when the task ends. */
    Iterator<T> result() {
        reading = true;
        List<T> last = buffer;
        buffer = null;
        last.sort(order);
        if (runs.isEmpty()) {
            Iterator<T> records = last.iterator();
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
        List<Iterator<T>> sources = new ArrayList<>(runs.size() + 1);
        sources.add(last.iterator());
        for (Path run : runs) {
            sources.add(typed(files.read(run)));
        }
        return new Merged(sources);
    }

    private void reserveOrSpill(long estimate) {
        if (estimate <= used()) {
            return;
        }
        acquire(2 * estimate - used());
        if (used() < estimate) {
            long held = used();
            spillBuffer();
            context.memory().spilled(held);
        }
    }

    private void spillBuffer() {
        buffer.sort(order);
        SpillFiles.Writer writer = files.create();
        for (T record : buffer) {
            writer.write(record);
        }
        runs.add(writer.finish());
        buffer = new ArrayList<>();
        size.reset();
        releaseAll();
    }

    @SuppressWarnings("unchecked")
    private static <T> Iterator<T> typed(Iterator<Object> records) {
        return (Iterator<T>) records;
    }

    /** The k-way merge of sorted sources. */
    private final class Merged implements Iterator<T> {

        private final class Head {
            final Iterator<T> source;
            T next;

            Head(Iterator<T> source) {
                this.source = source;
                this.next = source.next();
            }
        }

        private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> order.compare(a.next, b.next));
        private int sinceKillCheck;

        Merged(List<Iterator<T>> sources) {
            for (Iterator<T> source : sources) {
                if (source.hasNext()) {
                    heads.add(new Head(source));
                }
            }
        }

        @Override
        public boolean hasNext() {
            if (heads.isEmpty()) {
                releaseAll();
                return false;
            }
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Head head = heads.poll();
            T record = head.next;
            if (head.source.hasNext()) {
                head.next = head.source.next();
                heads.add(head);
            }
            if (++sinceKillCheck == 1_024) {
                sinceKillCheck = 0;
                context.throwIfKilled();
            }
            return record;
        }
    }
}
