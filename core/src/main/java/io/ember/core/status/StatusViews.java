package io.ember.core.status;

import java.util.List;

/**
 * The REST API's resources for one application, as immutable records. Their component names are
 * the JSON field names, documented in {@code docs/monitoring.md} and kept stable: a field may be
 * added, never renamed or removed. Times are milliseconds since the epoch by the driver's clock;
 * a time not reached yet (an end while running) is {@code null}.
 */
public final class StatusViews {

    private StatusViews() {
    }

    /** {@code /api/v1/applications/{appId}}. */
    public record ApplicationView(String id, String name, String queue, String masterUrl, long startTime,
                                  Long endTime, long durationMillis, boolean completed, String uiUrl) {
    }

    /** {@code /api/v1/applications/{appId}/jobs/{jobId}}. */
    public record JobView(int jobId, String description, String pool, String status, long submissionTime,
                          Long completionTime, long durationMillis, List<Integer> stageIds, int numTasks,
                          int numActiveTasks, int numCompletedTasks, int numFailedTasks, int numKilledTasks,
                          int numActiveStages, int numCompletedStages, int numFailedStages) {
    }

    /** Task durations of a stage's finished tasks: min, quartiles, max, in milliseconds. */
    public record DurationSummary(int count, double min, double p25, double median, double p75, double max) {
        static final DurationSummary NONE = new DurationSummary(0, 0, 0, 0, 0, 0);
    }

    /** {@code /api/v1/applications/{appId}/stages/{stageId}}. */
    public record StageView(int stageId, int jobId, String description, String pool, String status, int numTasks,
                            int numActiveTasks, int numCompleteTasks, int numFailedTasks, int numKilledTasks,
                            long submissionTime, Long completionTime, long executorRunTimeMillis, long gcTimeMillis,
                            long shuffleReadBytes, long shuffleReadRecords, long shuffleWriteBytes,
                            long shuffleWriteRecords, int spills, long spillBytes, DurationSummary taskDurations,
                            int retainedTasks) {
    }

    /** One task attempt: {@code /api/v1/applications/{appId}/stages/{stageId}/tasks}. */
    public record TaskView(long taskId, int index, int attempt, String executorId, String locality,
                           long launchTime, Long durationMillis, String status, long gcTimeMillis, long resultBytes,
                           long shuffleReadBytes, long shuffleReadRecords, long shuffleWriteBytes,
                           long shuffleWriteRecords, int spills, long spillBytes, String errorMessage) {
    }

    /** {@code /api/v1/applications/{appId}/executors}. */
    public record ExecutorView(String id, String host, int cores, boolean active, long addTime, Long removeTime,
                               String removeReason, int activeTasks, int completedTasks, int failedTasks,
                               long totalDurationMillis, long totalGcTimeMillis, long shuffleReadBytes,
                               long shuffleWriteBytes, boolean holdsCachedBlocks, int cachedBlocks,
                               long cachedBytes) {
    }

    /**
     * A dataset with cached partitions: {@code /api/v1/applications/{appId}/storage}.
     *
     * @param datasetId the dataset
     * @param cachedPartitions partitions cached on at least one executor
     * @param cachedBytes their estimated size, summed over every copy
     * @param executors the executors holding them
     */
    public record CachedDatasetView(int datasetId, int cachedPartitions, long cachedBytes, List<String> executors) {
    }

    /**
     * The allocation policy's decisions: {@code /api/v1/applications/{appId}/allocation}.
     *
     * @param target the executor total asked of the cluster now; {@code null} before any decision
     * @param changes decisions that changed the total or let executors go
     * @param executorsReleased executors let go (idle, or killed on the application's request)
     */
    public record AllocationView(Integer target, int changes, int executorsReleased) {
    }

    /**
     * One setting of the application: {@code /api/v1/applications/{appId}/environment}.
     *
     * @param name the key
     * @param value its value, or {@value #HIDDEN} for a secret (a sensitive key, or a name with
     *     {@code secret}, {@code password}, {@code token} or {@code credential} in it)
     * @param origin where it was set (a file and line, an environment variable, a system property,
     *     the program), or {@code default}
     */
    public record SettingView(String name, String value, String origin) {
        /** What a secret's value is shown as. */
        public static final String HIDDEN = "(hidden)";
    }

    /** A scheduler pool: {@code /api/v1/applications/{appId}/pools}. */
    public record PoolView(String name, String mode, double weight, int minShare, int maxShare, int runningTasks,
                           int pendingTasks, int schedulables) {
    }
}
