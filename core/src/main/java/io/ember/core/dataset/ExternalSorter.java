package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

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
final class ExternalSorter<T> extends SpillingBuffer {

    private final Comparator<? super T> order;
    private List<T> buffer = new ArrayList<>();

    ExternalSorter(TaskContext context, Comparator<? super T> order, SizeEstimator estimator) {
        super(context, estimator);
        this.order = requireNonNull(order, "order is null");
    }

    void insert(T record) {
        buffer.add(record);
        inserted();
    }

    @Override
    protected Object buffer() {
        return buffer;
    }

    @Override
    protected boolean bufferIsEmpty() {
        return buffer.isEmpty();
    }

    @Override
    protected void writeBuffer(SpillFiles.Writer writer) {
        buffer.sort(order);
        for (T record : buffer) {
            writer.write(record);
        }
        buffer = new ArrayList<>();
    }

    /** Every record inserted, in order; streamed. The memory is given back once all are read, or when the task ends. */
    Iterator<T> result() {
        List<Path> runs = startReading();
        List<T> last = buffer;
        buffer = null;
        last.sort(order);
        if (runs.isEmpty()) {
            return releasingAtTheEnd(last.iterator());
        }
        List<Iterator<T>> sources = new ArrayList<>(runs.size() + 1);
        sources.add(last.iterator());
        for (Path run : runs) {
            sources.add(typed(files.read(run)));
        }
        return releasingAtTheEnd(new Merged(sources));
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
            return !heads.isEmpty();
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
