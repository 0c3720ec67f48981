package io.ember.core.task;

/**
 * A cached partition: partition {@code partition} of dataset {@code datasetId}.
 *
 * @param datasetId the dataset's id, unique within the application
 * @param partition the partition's index
 */
public record BlockId(int datasetId, int partition) {

    public BlockId {
        if (datasetId < 0 || partition < 0) {
            throw new IllegalArgumentException("datasetId and partition must be >= 0: " + datasetId + "/" + partition);
        }
    }

    @Override
    public String toString() {
        return "dataset-" + datasetId + "/partition-" + partition;
    }
}
