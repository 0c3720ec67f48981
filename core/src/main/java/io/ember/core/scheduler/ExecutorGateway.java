package io.ember.core.scheduler;

import io.ember.api.shuffle.BlockLocation;
import io.ember.core.job.StageId;
import java.util.List;

/**
 * How the task scheduler reaches one executor, in Ember's own types: the driver's wire adapter
 * turns each call into the executor's protocol (its stream in a cluster, the in-process executor in
 * {@code local[N]}), so the scheduler's decisions never see the wire format.
 *
 * <p>Threading: called on the scheduler's thread only. No method blocks on the executor or throws;
 * a call for an executor that went away is dropped (its loss is reported separately).
 */
public interface ExecutorGateway {

    /** The executor's id. */
    String executorId();

    /** The host it runs on. */
    String host();

    /** Its cores. */
    int cores();

    /**
     * Launches a batch of tasks, in one message: the tasks of one offer round on this executor, with
     * the code of each of their stages the executor has not been sent yet.
     *
     * @param stages stage code the executor lacks (empty when it has all of it)
     * @param tasks the tasks, in launch order (not empty)
     */
    void launch(List<StageShipment> stages, List<TaskLaunch> tasks);

    /** Asks the executor to kill a running (or queued) task; it answers with a killed outcome. */
    void kill(long taskId, String reason);

    /** These stages will run no more tasks: the executor may forget their code. */
    void forgetStages(List<StageId> stageIds);

    /** Asks the executor to drop every cached block of a dataset (unpersist). */
    void dropBlocks(int datasetId);

    /**
     * Asks the executor to delete its files of a shuffle the driver cleaned up, and to ask the shuffle
     * services at {@code services} (empty for all executors but one) to delete the application's.
     */
    void removeShuffle(int shuffleId, List<BlockLocation> services);
}
