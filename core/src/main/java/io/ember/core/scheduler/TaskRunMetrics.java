package io.ember.core.scheduler;

/**
 * What one task attempt measured on its executor, as reported with its end: for the UI, the REST
 * API, the event log and metrics. Every figure is 0 when unknown (a task lost with its executor, or
 * a figure this executor does not measure).
 *
 * @param runNanos how long the task ran on the executor
 * @param deserializeNanos how long its code and partition took to deserialize there
 * @param gcMillis time the executor's JVM spent in garbage collection while the task ran (shared by
 *     the tasks running at the same time, as in Spark)
 * @param resultBytes the size of its serialized result
 * @param shuffleReadBytes shuffle bytes it fetched (local and remote)
 * @param shuffleReadRecords shuffle records it read
 * @param shuffleWriteBytes shuffle bytes it wrote (a map task)
 * @param shuffleWriteRecords shuffle records it wrote (a map task)
 * @param cacheHits cached partitions it read
 * @param cacheMisses partitions of a persisted dataset it computed
 */
public record TaskRunMetrics(long runNanos, long deserializeNanos, long gcMillis, long resultBytes,
                             long shuffleReadBytes, long shuffleReadRecords, long shuffleWriteBytes,
                             long shuffleWriteRecords, int cacheHits, int cacheMisses) {

    /** Nothing measured. */
    public static final TaskRunMetrics NONE = new TaskRunMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Only the run time and the cache figures known. */
    public static TaskRunMetrics of(long runNanos, int cacheHits, int cacheMisses) {
        return new TaskRunMetrics(runNanos, 0, 0, 0, 0, 0, 0, 0, cacheHits, cacheMisses);
    }
}
