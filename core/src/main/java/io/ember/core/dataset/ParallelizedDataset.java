package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.TaskContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A driver-side list cut into contiguous slices: partition {@code i} holds the records from
 * {@code i * size / slices} to {@code (i + 1) * size / slices}. The list is copied when the
 * dataset is created and shipped with every stage that reads it.
 */
final class ParallelizedDataset<T> extends Dataset<T> {

    private static final long serialVersionUID = 1L;

    private final ArrayList<T> records;
    private final int slices;

    ParallelizedDataset(JobRunner runner, List<T> records, int slices) {
        super(runner);
        this.records = new ArrayList<>(requireNonNull(records, "records is null"));
        if (slices < 1) {
            throw new IllegalArgumentException("slices must be >= 1: " + slices);
        }
        this.slices = slices;
    }

    @Override
    public int numPartitions() {
        return slices;
    }

    @Override
    protected Iterator<T> compute(int partition, TaskContext context) {
        return Collections.unmodifiableList(records.subList(bound(partition), bound(partition + 1))).iterator();
    }

    private int bound(int slice) {
        return (int) ((long) slice * records.size() / slices);
    }

    @Override
    protected String describe() {
        return ", records=" + records.size();
    }
}
