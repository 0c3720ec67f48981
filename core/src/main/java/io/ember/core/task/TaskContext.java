package io.ember.core.task;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.core.memory.TaskMemory;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.shuffle.MapOutputsRef;
import io.ember.core.shuffle.MapStatus;
import java.nio.file.Path;

/**
 * What a running task knows about itself, and the executor services it may use. One per task
 * attempt, used by the task's own thread.
 */
public interface TaskContext {

    /** The task's id, unique within the application. */
    long taskId();

    /** The stage the task belongs to. */
    int stageId();

    /** The partition it computes. */
    int partition();

    /** 0 for the first attempt, 1 for the first retry, and so on. */
    int attempt();

    /** The executor running it. */
    String executorId();

    /** The executor's cached partitions. */
    BlockStore blocks();

    /**
     * This task attempt's share of the executor's memory budget: every buffer of the task that grows
     * with its data asks it for memory (as a {@link io.ember.core.memory.MemoryConsumer}) and spills
     * when refused. What the task's consumers still hold when it ends, by any path, is released then.
     */
    TaskMemory memory();

    /**
     * The executor's shuffle: map tasks write their output through it, reduce tasks read their input
     * through it.
     *
     * @throws IllegalStateException when the executor has no shuffle
     */
    ExecutorShuffle shuffle();

    /** The serializer of shuffled records. */
    RecordSerializer records();

    /**
     * Where the map outputs of shuffle {@code shuffleId} live, one status per map partition, as the
     * driver planned this stage with them (for stages that read a shuffle).
     *
     * @throws IllegalStateException when this stage reads no such shuffle
     * @throws java.io.UncheckedIOException when they cannot be fetched from the driver
     */
    default MapStatus[] mapOutputs(int shuffleId) {
        throw new IllegalStateException("stage " + stageId() + " reads no map outputs of shuffle " + shuffleId);
    }

    /**
     * The map outputs {@code ref} names, from the driver (fetched at most once per executor while
     * its stage runs, for all its tasks there). Blocks while they are fetched.
     *
     * @throws java.io.UncheckedIOException when they cannot be had
     */
    default MapStatus[] mapOutputs(MapOutputsRef ref) {
        throw new IllegalStateException("task " + taskId() + " cannot fetch the " + ref + ": it runs with no driver");
    }

    /**
     * This task attempt's shuffle figures: the shuffle's map side adds what it wrote, its reduce side
     * what it read. The same object for the whole attempt; on the task's thread.
     */
    ShuffleCounts shuffleCounts();

    /**
     * Runs {@code callback} when the task ends, by any path: its code returned (even with an iterator
     * it did not read to the end, as {@code take} leaves one), threw, or was killed. Callbacks run on
     * the task's thread, the last registered first, before the task's memory is released, so what
     * they close can give its memory back; one that throws is logged and the others still run. For
     * readers, spill files and buffers a task holds until it ends.
     */
    void onCompletion(Runnable callback);

    /**
     * The directory this task spills to (it may not exist yet): files the task creates there must be
     * deleted when it ends ({@link #onCompletion}).
     */
    Path spillDirectory();

    /** Whether the driver asked to kill this task; long loops should check it. */
    boolean isKilled();

    /**
     * Throws {@link TaskKilledException} when the task was asked to stop; cheap enough to call per
     * record.
     */
    default void throwIfKilled() {
        if (isKilled()) {
            throw new TaskKilledException("task " + taskId() + " was killed");
        }
    }
}
