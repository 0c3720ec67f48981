package io.ember.core.dataset;

import java.util.ArrayList;
import java.util.List;

/** Reads a dataset back partition by partition, through a job like any other. */
final class Partitions {

    private Partitions() {
    }

    /** Each partition's records, in order. */
    static <T> List<List<T>> of(Dataset<T> dataset) {
        return dataset.<List<T>>mapPartitions(records -> {
            ArrayList<T> partition = new ArrayList<>();
            records.forEachRemaining(partition::add);
            return List.<List<T>>of(partition).iterator();
        }).collect();
    }

    /** The contiguous slices of {@code records} that parallelize makes. */
    static <T> List<List<T>> slices(List<T> records, int slices) {
        List<List<T>> expected = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            int from = (int) ((long) i * records.size() / slices);
            int to = (int) ((long) (i + 1) * records.size() / slices);
            expected.add(records.subList(from, to));
        }
        return expected;
    }
}
