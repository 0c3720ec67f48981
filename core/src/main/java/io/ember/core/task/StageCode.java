package io.ember.core.task;

import java.io.Serializable;

/**
 * The code of one stage: what each of its tasks runs on its partition. Serialized once on the
 * driver, sent to each executor once (cached by stage id) and deserialized there once; a task on
 * the wire is then only (stage, partition, attempt).
 *
 * <p>Threading: one deserialized instance serves every task of the stage on an executor, so
 * {@link #runTask} is called by several task threads at once and must not keep per-task state in
 * fields.
 */
public interface StageCode extends Serializable {

    /**
     * Runs one task: computes {@code partition} and returns the task's result (serializable, or
     * {@code null}).
     *
     * @throws Exception whatever the user's code throws; the task fails with it
     */
    Object runTask(int partition, TaskContext context) throws Exception;
}
