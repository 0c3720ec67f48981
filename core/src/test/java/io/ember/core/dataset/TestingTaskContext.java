package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.core.memory.ExecutorMemory;
import io.ember.core.memory.TaskMemory;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.task.BlockStore;
import io.ember.core.task.ShuffleCounts;
import io.ember.core.task.TaskContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A task context for tasks run in-process; never killed. Its memory is a budget of its own of
 * {@link #MEMORY_BYTES}, shared with nobody (unless a test gives it one); its completion callbacks run
 * when the test calls {@link #complete()}, which also deletes its spill files ({@code java.io.tmpdir}
 * unless a test gives it a directory).
 */
record TestingTaskContext(long taskId, int stageId, int partition, int attempt, String executorId, BlockStore blocks,
                          TaskMemory memory, List<Runnable> completions, Path spillDirectory) implements TaskContext {

    /** The budget of a testing task's memory. */
    static final long MEMORY_BYTES = 64L << 20;

    TestingTaskContext {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(blocks, "blocks is null");
        requireNonNull(memory, "memory is null");
        requireNonNull(completions, "completions is null");
        requireNonNull(spillDirectory, "spillDirectory is null");
    }

    TestingTaskContext(long taskId, int stageId, int partition, int attempt, String executorId, BlockStore blocks) {
        this(taskId, stageId, partition, attempt, executorId, blocks,
                new TaskMemory(new ExecutorMemory(MEMORY_BYTES, 0), taskId), new ArrayList<>(),
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Override
    public void onCompletion(Runnable callback) {
        completions.add(callback);
    }

    /** Ends the task as an executor would: its completion callbacks, the last registered first. */
    void complete() {
        for (int i = completions.size() - 1; i >= 0; i--) {
            completions.get(i).run();
        }
        completions.clear();
        memory.end();
    }

    @Override
    public ExecutorShuffle shuffle() {
        throw new IllegalStateException("tasks run in-process by tests have no shuffle");
    }

    @Override
    public RecordSerializer records() {
        return new RecordSerializer(getClass().getClassLoader(),
                PayloadFilter.standard());
    }

    /** A fresh one each time: these tasks have no shuffle, so there is nothing to count. */
    @Override
    public ShuffleCounts shuffleCounts() {
        return new ShuffleCounts();
    }

    @Override
    public boolean isKilled() {
        return false;
    }
}
