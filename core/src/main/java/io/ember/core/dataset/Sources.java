package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * The datasets an application starts from. The driver's context offers them with its own
 * {@link JobRunner}; each call creates a new dataset (with a fresh id) and computes nothing yet,
 * apart from listing input files.
 */
public final class Sources {

    private Sources() {
    }

    /**
     * A dataset of {@code data}, cut into {@code slices} contiguous slices of near-equal size
     * (partition {@code i} holds elements {@code i * size / slices} up to
     * {@code (i + 1) * size / slices}); some slices are empty when there are more slices than
     * elements. The list is copied now, so later changes to it are not seen; its elements are
     * shipped to executors, so they must be serializable. {@code null} elements are allowed.
     *
     * @param runner the driver's job runner
     * @param data the records, in order
     * @param slices the number of partitions, {@code >= 1}
     */
    public static <T> Dataset<T> parallelize(JobRunner runner, List<T> data, int slices) {
        requireNonNull(runner, "runner is null");
        requireNonNull(data, "data is null");
        return new ParallelizedDataset<>(runner, data, slices);
    }

    /**
     * The longs from {@code start} (inclusive) to {@code end} (exclusive), cut into {@code slices}
     * contiguous ranges of near-equal size; empty when {@code end <= start}. Any two longs work,
     * including ranges longer than {@link Long#MAX_VALUE}.
     *
     * @param runner the driver's job runner
     * @param start the first long
     * @param end the long after the last
     * @param slices the number of partitions, {@code >= 1}
     */
    public static Dataset<Long> range(JobRunner runner, long start, long end, int slices) {
        requireNonNull(runner, "runner is null");
        return new RangeDataset(runner, start, end, slices);
    }

    /**
     * The lines of a UTF-8 text file, or of the regular files of a directory (sorted by name; names
     * starting with {@code _} or {@code .} are skipped, subdirectories are not read). Lines end with
     * {@code \n} or {@code \r\n}, which are dropped. The files are split by byte ranges of about
     * {@code totalSize / minPartitions} bytes, so there are at least {@code minPartitions}
     * partitions when the input has that many bytes; a line belongs to the partition in which it
     * starts. The files are listed now, on the driver; executors read the same paths when an action
     * runs, so in a cluster they must be on a shared filesystem and must not change meanwhile.
     *
     * @param runner the driver's job runner
     * @param path a file or a directory
     * @param minPartitions {@code >= 1}
     * @throws UncheckedIOException when {@code path} does not exist (the message names it) or
     *     cannot be listed
     */
    public static Dataset<String> textFile(JobRunner runner, String path, int minPartitions) {
        return TextFileDataset.open(runner, path, minPartitions);
    }
}
