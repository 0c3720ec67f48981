package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.task.StageCode;
import io.ember.core.task.TaskContext;

/**
 * The code of an action's stage: read a partition of {@code dataset} and hand its records to
 * {@code action}. Holds nothing per task, so one deserialized copy serves every task thread.
 *
 * @param dataset the dataset the action runs on, with its lineage
 * @param action what each task does with its partition's records
 */
record ActionStage<T, R>(Dataset<T> dataset, PartitionAction<T, R> action) implements StageCode {

    ActionStage {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(action, "action is null");
    }

    @Override
    public Object runTask(int partition, TaskContext context) throws Exception {
        requireNonNull(context, "context is null");
        return action.apply(dataset.iterator(partition, context), context);
    }

    @Override
    public String toString() {
        return "ActionStage[" + dataset + "]";
    }
}
