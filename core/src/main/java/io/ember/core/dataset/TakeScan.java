package io.ember.core.dataset;

/**
 * How many partitions the next job of {@link Dataset#take} reads. The first reads one. Then, when
 * rows have come back, the rate seen so far estimates how many more partitions hold the missing
 * rows; when none have, the scan grows. Either way a job reads at most four times the partitions
 * already read, and never past the last partition.
 */
final class TakeScan {

    static final int GROWTH = 4;

    private TakeScan() {
    }

    /**
     * @param scanned partitions read so far (the first {@code scanned})
     * @param found rows found so far
     * @param wanted rows wanted in all, more than {@code found}
     * @param total the dataset's partitions, more than {@code scanned}
     */
    static int partitionsToScan(int scanned, int found, int wanted, int total) {
        if (scanned < 0 || found < 0 || found >= wanted || scanned >= total) {
            throw new IllegalArgumentException("nothing left to scan: scanned=" + scanned + ", found=" + found
                    + ", wanted=" + wanted + ", total=" + total);
        }
        if (scanned == 0) {
            return 1;
        }
        long limit = (long) scanned * GROWTH;
        long next;
        if (found == 0) {
            next = limit;
        } else {
            long missing = wanted - found;
            long estimate = (missing * scanned + found - 1) / found;   // ceil(missing / (found / scanned))
            next = Math.max(1, Math.min(estimate, limit));
        }
        return (int) Math.min(next, total - scanned);
    }
}
