package io.ember.core.dataset;

import io.ember.core.task.TaskContext;
import java.io.Serializable;
import java.util.Iterator;

/**
 * What an action does with one partition's records on an executor, and the task result it sends
 * back. Serialized with the stage; called by several task threads at once.
 *
 * @param <T> the record type
 * @param <R> the task result type; serializable, or {@code null}
 */
@FunctionalInterface
interface PartitionAction<T, R> extends Serializable {

    R apply(Iterator<T> records, TaskContext context) throws Exception;
}
