package io.ember.core.scheduler;

/**
 * What one task attempt measured on its executor, as reported with its end: for the UI, the REST
 * API, the event log and metrics. Every figure is 0 when unknown (a task lost with its executor, or
 * a figure its executor does not measure, such as one of an older release). The same figures come
 * from executor processes and from {@code local[N]}; {@code docs/jobs-and-tasks.md} describes them.
 *
 * @param runNanos how long the task's code ran on the executor (not counting its result's
 *     serialization)
 * @param deserializeNanos how long getting its stage's code took there (deserializing it, for the
 *     stage's first task on that executor)
 * @param gcMillis time the executor's JVM spent in garbage collection from the task's start until
 *     its result was serialized (the whole JVM's collections, so shared by the tasks running at the
 *     same time, as in Spark)
 * @param resultBytes the size of its serialized result, inline or uploaded; 0 when it did not finish
 * @param shuffleReadBytes the lengths of the shuffle blocks delivered to it, local and fetched
 * @param shuffleReadRecords shuffle records it took
 * @param shuffleWriteBytes the lengths of the map output blocks it committed (a map task): what its
 *     map status tells the driver
 * @param shuffleWriteRecords the records of that map output, after a map-side combine
 * @param cacheHits cached partitions it read
 * @param cacheMisses partitions of a persisted dataset it computed
 * @param spills spill files it wrote: its reduce side's data did not fit in its share of the
 *     executor's memory
 * @param spillBytes the bytes of those files
 */
public record TaskRunMetrics(long runNanos, long deserializeNanos, long gcMillis, long resultBytes,
                             long shuffleReadBytes, long shuffleReadRecords, long shuffleWriteBytes,
                             long shuffleWriteRecords, int cacheHits, int cacheMisses, int spills, long spillBytes) {

    /** Nothing measured. */
    public static final TaskRunMetrics NONE = new TaskRunMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Only the run time and the cache figures known. */
    public static TaskRunMetrics of(long runNanos, int cacheHits, int cacheMisses) {
        return new TaskRunMetrics(runNanos, 0, 0, 0, 0, 0, 0, 0, cacheHits, cacheMisses, 0, 0);
    }
}
