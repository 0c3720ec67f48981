package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.function.ForeachFunction;
import io.ember.core.function.ForeachPartitionFunction;
import io.ember.core.function.ReduceFunction;
import io.ember.core.task.TaskContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;

/**
 * The executor side of {@link Dataset}'s actions: what each task does with its partition's records
 * and returns to the driver. Every loop checks per record whether the task was killed.
 */
final class PartitionActions {

    private PartitionActions() {
    }

    /** The partition's records. */
    static <T> PartitionAction<T, ArrayList<T>> collect() {
        return (records, context) -> {
            ArrayList<T> all = new ArrayList<>();
            while (records.hasNext()) {
                context.throwIfKilled();
                all.add(records.next());
            }
            return all;
        };
    }

    /** The number of records. */
    static <T> PartitionAction<T, Long> count() {
        return (records, context) -> {
            long count = 0;
            while (records.hasNext()) {
                context.throwIfKilled();
                records.next();
                count++;
            }
            return count;
        };
    }

    /** The partition's records combined, or {@code null} when it has none. */
    static <T> PartitionAction<T, Reduced<T>> reduce(ReduceFunction<T> function) {
        requireNonNull(function, "function is null");
        return (records, context) -> {
            if (!records.hasNext()) {
                return null;
            }
            T total = records.next();
            while (records.hasNext()) {
                context.throwIfKilled();
                total = function.call(total, records.next());
            }
            return new Reduced<>(total);
        };
    }

    /** Calls {@code function} on each record; returns nothing. */
    static <T> PartitionAction<T, Void> foreach(ForeachFunction<? super T> function) {
        requireNonNull(function, "function is null");
        return (records, context) -> {
            while (records.hasNext()) {
                context.throwIfKilled();
                function.call(records.next());
            }
            return null;
        };
    }

    /** Calls {@code function} on the partition's records; returns nothing. */
    static <T> PartitionAction<T, Void> foreachPartition(ForeachPartitionFunction<? super T> function) {
        requireNonNull(function, "function is null");
        return (records, context) -> {
            function.call(RecordIterators.widen(records));
            return null;
        };
    }

    /** The partition's first {@code limit} records. */
    static <T> PartitionAction<T, ArrayList<T>> take(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0: " + limit);
        }
        return (records, context) -> {
            ArrayList<T> first = new ArrayList<>(Math.min(limit, 1024));
            while (first.size() < limit && records.hasNext()) {
                context.throwIfKilled();
                first.add(records.next());
            }
            return first;
        };
    }

    /** Writes the partition as a text file into {@code output}; returns nothing. */
    static <T> PartitionAction<T, Void> saveAsText(TextFileOutput output) {
        requireNonNull(output, "output is null");
        return (Iterator<T> records, TaskContext context) -> {
            output.writePartition(records, context);
            return null;
        };
    }

    /**
     * A partition's reduced value; a wrapper so that a {@code null} value can be told from an empty
     * partition.
     *
     * @param value the combined records, possibly {@code null}
     */
    record Reduced<T>(T value) implements Serializable {
    }
}
