package io.ember.core.status;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.scheduler.TaskRunMetrics;
import java.util.List;

/**
 * What happens to an application, as its status store and its event log see it: one record per
 * event, written to the event log as one JSON line (with an {@code event} field naming the record)
 * and replayed from it by the history server, so the live UI and the history answer alike.
 *
 * <p>Field names are the event log's format: a field may be added (readers ignore what they do not
 * know), never renamed or removed. Times are milliseconds since the epoch by the driver's clock.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StatusEvent.ApplicationStarted.class, name = "ApplicationStarted"),
        @JsonSubTypes.Type(value = StatusEvent.ApplicationEnded.class, name = "ApplicationEnded"),
        @JsonSubTypes.Type(value = StatusEvent.ExecutorAdded.class, name = "ExecutorAdded"),
        @JsonSubTypes.Type(value = StatusEvent.ExecutorRemoved.class, name = "ExecutorRemoved"),
        @JsonSubTypes.Type(value = StatusEvent.JobStarted.class, name = "JobStarted"),
        @JsonSubTypes.Type(value = StatusEvent.JobEnded.class, name = "JobEnded"),
        @JsonSubTypes.Type(value = StatusEvent.StageSubmitted.class, name = "StageSubmitted"),
        @JsonSubTypes.Type(value = StatusEvent.StageCompleted.class, name = "StageCompleted"),
        @JsonSubTypes.Type(value = StatusEvent.TaskStarted.class, name = "TaskStarted"),
        @JsonSubTypes.Type(value = StatusEvent.TaskEnded.class, name = "TaskEnded"),
        @JsonSubTypes.Type(value = StatusEvent.CachedBlocksChanged.class, name = "CachedBlocksChanged"),
        @JsonSubTypes.Type(value = StatusEvent.AllocationChanged.class, name = "AllocationChanged"),
        @JsonSubTypes.Type(value = StatusEvent.EnvironmentCaptured.class, name = "EnvironmentCaptured"),
        @JsonSubTypes.Type(value = StatusEvent.BlocksUpdated.class, name = "BlocksUpdated"),
        @JsonSubTypes.Type(value = StatusEvent.DatasetUnpersisted.class, name = "DatasetUnpersisted")
})
public sealed interface StatusEvent {

    /** When it happened. */
    long time();

    /** The application started: the event log's first line. */
    record ApplicationStarted(String applicationId, String name, String queue, String masterUrl, String uiUrl,
                              long time) implements StatusEvent {
    }

    /**
     * The application's settings as it started, secrets already hidden (see
     * {@link StatusViews.SettingView}).
     */
    record EnvironmentCaptured(List<StatusViews.SettingView> settings, long time) implements StatusEvent {
        public EnvironmentCaptured {
            settings = List.copyOf(settings);
        }
    }

    /** The application ended: the event log's last line. */
    record ApplicationEnded(long time) implements StatusEvent {
    }

    record ExecutorAdded(String executorId, String host, int cores, long time) implements StatusEvent {
    }

    record ExecutorRemoved(String executorId, String reason, long time) implements StatusEvent {
    }

    record JobStarted(int jobId, String description, String pool, long time) implements StatusEvent {
    }

    record JobEnded(int jobId, boolean succeeded, long time) implements StatusEvent {
    }

    record StageSubmitted(int jobId, int stageId, String description, String pool, int tasks, long time)
            implements StatusEvent {
    }

    record StageCompleted(int jobId, int stageId, boolean succeeded, long time) implements StatusEvent {
    }

    record TaskStarted(int jobId, int stageId, long taskId, int partition, int attempt, String executorId,
                       String locality, long time) implements StatusEvent {
    }

    /** A task attempt ended; {@code outcome} is {@code FINISHED}, {@code FAILED}, {@code KILLED} or {@code LOST}. */
    record TaskEnded(int jobId, int stageId, long taskId, int partition, String executorId, String outcome,
                     String reason, long runNanos, long deserializeNanos, long gcMillis, long resultBytes,
                     long shuffleReadBytes, long shuffleReadRecords, long shuffleWriteBytes,
                     long shuffleWriteRecords, int cacheHits, int cacheMisses, int spills, long spillBytes,
                     long time) implements StatusEvent {

        TaskRunMetrics metrics() {
            return new TaskRunMetrics(runNanos, deserializeNanos, gcMillis, resultBytes, shuffleReadBytes,
                    shuffleReadRecords, shuffleWriteBytes, shuffleWriteRecords, cacheHits, cacheMisses, spills,
                    spillBytes);
        }
    }

    record CachedBlocksChanged(String executorId, boolean holdsBlocks, long time) implements StatusEvent {
    }

    /** One cached partition an executor stored or dropped, with its estimated size. */
    record Block(int datasetId, int partition, boolean stored, long sizeBytes) {
    }

    /** An executor stored or dropped cached partitions. */
    record BlocksUpdated(String executorId, List<Block> blocks, long time) implements StatusEvent {
        public BlocksUpdated {
            blocks = List.copyOf(blocks);
        }
    }

    /** The application unpersisted a dataset: its cached partitions are gone everywhere. */
    record DatasetUnpersisted(int datasetId, long time) implements StatusEvent {
    }

    /**
     * The allocation policy changed the executor total it asks for, or let executors go.
     *
     * @param target the total asked for now
     * @param previousTarget the total asked for before
     * @param released executors it let go (idle ones, or killed on the application's request)
     */
    record AllocationChanged(int target, int previousTarget, List<String> released, long time)
            implements StatusEvent {
        public AllocationChanged {
            released = List.copyOf(released);
        }
    }

    // ---- from the scheduler's events -----------------------------------------------------------

    static JobStarted of(SchedulerListener.JobStart e) {
        return new JobStarted(e.jobId().value(), e.description(), e.pool(), e.timeMillis());
    }

    static JobEnded of(SchedulerListener.JobEnd e) {
        return new JobEnded(e.jobId().value(), e.succeeded(), e.timeMillis());
    }

    static StageSubmitted of(SchedulerListener.StageSubmitted e) {
        return new StageSubmitted(e.jobId().value(), e.stageId().value(), e.description(), e.pool(), e.tasks(),
                e.timeMillis());
    }

    static StageCompleted of(SchedulerListener.StageCompleted e) {
        return new StageCompleted(e.jobId().value(), e.stageId().value(), e.succeeded(), e.timeMillis());
    }

    static TaskStarted of(SchedulerListener.TaskStart e) {
        return new TaskStarted(e.jobId().value(), e.stageId().value(), e.taskId(), e.partition(), e.attempt(),
                e.executorId(), e.locality().name(), e.timeMillis());
    }

    static TaskEnded of(SchedulerListener.TaskEnd e) {
        TaskRunMetrics m = e.metrics();
        return new TaskEnded(e.jobId().value(), e.stageId().value(), e.taskId(), e.partition(), e.executorId(),
                e.outcome().name(), e.reason(), m.runNanos(), m.deserializeNanos(), m.gcMillis(), m.resultBytes(),
                m.shuffleReadBytes(), m.shuffleReadRecords(), m.shuffleWriteBytes(), m.shuffleWriteRecords(),
                m.cacheHits(), m.cacheMisses(), m.spills(), m.spillBytes(), e.timeMillis());
    }

    static BlocksUpdated of(SchedulerListener.BlocksUpdated e) {
        return new BlocksUpdated(e.executorId(), e.changes().stream().map(c -> new Block(c.id().datasetId(),
                c.id().partition(), c.stored(), c.sizeBytes())).toList(), e.timeMillis());
    }

    static DatasetUnpersisted of(SchedulerListener.DatasetUnpersisted e) {
        return new DatasetUnpersisted(e.datasetId(), e.timeMillis());
    }

    static CachedBlocksChanged of(SchedulerListener.CachedBlocks e) {
        return new CachedBlocksChanged(e.executorId(), e.holdsBlocks(), e.timeMillis());
    }
}
