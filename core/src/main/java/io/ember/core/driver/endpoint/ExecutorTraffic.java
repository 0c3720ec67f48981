package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import io.ember.core.scheduler.TaskOutcome;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.storage.BlockChange;
import java.util.List;

/**
 * Where an executor's reports go, in Ember's types: the task scheduler. An {@link ExecutorWire}
 * hands it what an executor's messages say; in {@code local[N]} the in-process executor's reports
 * come straight here.
 *
 * <p>Threading: called on the thread that received the executor's message (an RPC server thread in
 * a cluster, the executor's update thread in {@code local[N]}); must not block.
 */
public interface ExecutorTraffic {

    /** Nothing listens: reports are dropped. */
    ExecutorTraffic NONE = new ExecutorTraffic() {
        @Override
        public void tasksEnded(String executorId, List<TaskOutcome> outcomes) {
        }

        @Override
        public void blocksChanged(String executorId, List<BlockChange> changes) {
        }
    };

    /** Hands every report to the task scheduler, on the caller's thread (the scheduler queues it). */
    static ExecutorTraffic to(TaskScheduler scheduler) {
        requireNonNull(scheduler, "scheduler is null");
        return new ExecutorTraffic() {
            @Override
            public void tasksEnded(String executorId, List<TaskOutcome> outcomes) {
                scheduler.tasksEnded(executorId, outcomes);
            }

            @Override
            public void blocksChanged(String executorId, List<BlockChange> changes) {
                scheduler.blocksChanged(executorId, changes);
            }
        };
    }

    /** Task attempts that ended on the executor, uploaded results already attached. */
    void tasksEnded(String executorId, List<TaskOutcome> outcomes);

    /** Cached blocks the executor stored or dropped. */
    void blocksChanged(String executorId, List<BlockChange> changes);
}
