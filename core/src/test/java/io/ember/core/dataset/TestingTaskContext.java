package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.task.BlockStore;
import io.ember.core.task.ShuffleCounts;
import io.ember.core.task.TaskContext;

/** A task context for tasks run in-process; never killed. */
record TestingTaskContext(long taskId, int stageId, int partition, int attempt, String executorId, BlockStore blocks)
        implements TaskContext {

    TestingTaskContext {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(blocks, "blocks is null");
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
