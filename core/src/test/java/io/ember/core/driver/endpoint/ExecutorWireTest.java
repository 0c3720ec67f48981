package io.ember.core.driver.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.ember.core.job.JobId;
import io.ember.core.job.StageId;
import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.BlockUpdates;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.Heartbeat;
import io.ember.core.rpc.proto.LaunchTasks;
import io.ember.core.rpc.proto.TaskError;
import io.ember.core.rpc.proto.TaskMetrics;
import io.ember.core.rpc.proto.TaskState;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.rpc.proto.TaskUpdates;
import io.ember.core.scheduler.StageShipment;
import io.ember.core.scheduler.TaskLaunch;
import io.ember.core.scheduler.TaskOutcome;
import io.ember.core.scheduler.TaskRunMetrics;
import io.ember.core.storage.BlockChange;
import io.ember.core.task.BlockId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ExecutorWireTest {

    private static final long MAX_RESULT = 1024;

    private final List<DriverMessage> sentToA = new ArrayList<>();
    private final List<DriverMessage> sentToB = new ArrayList<>();
    private final RecordingTraffic traffic = new RecordingTraffic();
    private final ExecutorWire a = new ExecutorWire("a", "host-a", 2, sentToA::add, traffic, MAX_RESULT);
    private final ExecutorWire b = new ExecutorWire("b", "host-b", 1, sentToB::add, traffic, MAX_RESULT);

    @Test
    void sendsABatchAsOneLaunchTasksWithTheStageCodeItCarries() {
        byte[] code = {1, 2, 3};

        a.launch(List.of(new StageShipment(new StageId(4), new JobId(2), code)),
                List.of(new TaskLaunch(10, new StageId(4), 0, 0), new TaskLaunch(11, new StageId(4), 1, 2)));

        assertEquals(1, sentToA.size());
        LaunchTasks launch = sentToA.get(0).getLaunchTasks();
        assertEquals(1, launch.getStagesCount());
        assertEquals(4, launch.getStages(0).getStageId());
        assertEquals(2, launch.getStages(0).getJobId(), "the stage's job travels with its code");
        assertArrayEquals(code, launch.getStages(0).getCode().toByteArray());
        assertEquals(2, launch.getTasksCount());
        assertEquals(List.of("10 4 0 0", "11 4 1 2"), launch.getTasksList().stream()
                .map(t -> t.getTaskId() + " " + t.getStageId() + " " + t.getPartition() + " " + t.getAttempt())
                .toList());
    }

    @Test
    void sendsKillForgetAndDropAsTheirMessages() {
        a.kill(7, "job 3 ended");
        a.forgetStages(List.of(new StageId(1), new StageId(2)));
        a.dropBlocks(9);

        assertEquals(7, sentToA.get(0).getKillTask().getTaskId());
        assertEquals("job 3 ended", sentToA.get(0).getKillTask().getReason());
        assertEquals(List.of(1, 2), sentToA.get(1).getForgetStages().getStageIdsList());
        assertEquals(9, sentToA.get(2).getDropBlocks().getDatasetId());
    }

    @Test
    void turnsTaskUpdatesIntoOutcomesInOrder() {
        a.received(taskUpdates(
                TaskUpdate.newBuilder().setTaskId(1).setState(TaskState.TASK_FINISHED)
                        .setResult(ByteString.copyFrom(new byte[] {42}))
                        .setMetrics(TaskMetrics.newBuilder().setRunNanos(5).setDeserializeNanos(6).setGcMillis(7)
                                .setResultBytes(8).setShuffleReadBytes(9).setShuffleReadRecords(10)
                                .setShuffleWriteBytes(11).setShuffleWriteRecords(12).setCacheHits(2).setCacheMisses(1)
                                .setSpills(3).setSpillBytes(4_096))
                        .build(),
                TaskUpdate.newBuilder().setTaskId(2).setState(TaskState.TASK_FAILED)
                        .setError(TaskError.newBuilder().setClassName("java.lang.IllegalStateException")
                                .setMessage("boom").setStackTrace("at somewhere")
                                .setException(ByteString.copyFrom(new byte[] {7, 7})))
                        .build(),
                TaskUpdate.newBuilder().setTaskId(3).setState(TaskState.TASK_KILLED).build(),
                TaskUpdate.newBuilder().setTaskId(4).setState(TaskState.TASK_STATE_UNSPECIFIED).build(),
                TaskUpdate.newBuilder().setTaskId(5).setState(TaskState.TASK_FAILED)
                        .setError(TaskError.newBuilder().setClassName("io.ember.core.task.TaskNotRetryableException")
                                .setMessage("not here").setNotRetryable(true))
                        .build()));

        List<TaskOutcome> outcomes = traffic.outcomes("a");
        assertEquals(List.of(TaskOutcome.State.FINISHED, TaskOutcome.State.FAILED, TaskOutcome.State.KILLED,
                TaskOutcome.State.UNKNOWN, TaskOutcome.State.FAILED),
                outcomes.stream().map(TaskOutcome::state).toList());
        TaskOutcome finished = outcomes.get(0);
        assertEquals(1, finished.taskId());
        assertArrayEquals(new byte[] {42}, finished.result());
        assertEquals(new TaskRunMetrics(5, 6, 7, 8, 9, 10, 11, 12, 2, 1, 3, 4_096), finished.metrics(),
                "every figure, each in its place");
        assertEquals(TaskRunMetrics.NONE, outcomes.get(2).metrics(), "an executor that sent no metrics measured nothing");
        TaskOutcome.TaskFailure failure = outcomes.get(1).failure();
        assertEquals(List.of("java.lang.IllegalStateException", "boom", "at somewhere"),
                List.of(failure.className(), failure.message(), failure.stackTrace()));
        assertArrayEquals(new byte[] {7, 7}, failure.exception());
        assertTrue(failure.retryable(), "a failure is retryable unless the executor says otherwise");
        assertFalse(outcomes.get(4).failure().retryable());
    }

    @Test
    void turnsBlockUpdatesIntoBlockChangesAndIgnoresHeartbeats() {
        a.received(ExecutorMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
        a.received(ExecutorMessage.newBuilder().setBlockUpdates(BlockUpdates.newBuilder()
                .addUpdates(BlockUpdate.newBuilder().setDatasetId(7).setPartition(3).setStored(true).setSizeBytes(100))
                .addUpdates(BlockUpdate.newBuilder().setDatasetId(7).setPartition(4).setStored(false))).build());

        assertEquals(List.of(new BlockChange(new BlockId(7, 3), true, 100),
                new BlockChange(new BlockId(7, 4), false, 0)), traffic.blockChanges);
        assertEquals(List.of(), traffic.ended);
    }

    @Test
    void refusesAnUploadFromAnExecutorNotRunningTheTask() {
        a.launch(List.of(), List.of(new TaskLaunch(10, new StageId(0), 0, 0)));

        assertEquals("task 10 is not running on executor b", b.resultUploaded(10, new byte[1]));
        assertEquals("task 11 is not running on executor a", a.resultUploaded(11, new byte[1]));
        a.received(taskUpdates(TaskUpdate.newBuilder().setTaskId(10).setState(TaskState.TASK_KILLED).build()));
        assertEquals("task 10 is not running on executor a", a.resultUploaded(10, new byte[1]),
                "a task that ended takes no upload");
    }

    @Test
    void refusesAnUploadLargerThanTheLimit() {
        a.launch(List.of(), List.of(new TaskLaunch(10, new StageId(0), 0, 0)));

        assertEquals("the result of task 10 (1025 bytes) exceeds ember.driver.maxResultSize",
                a.resultUploaded(10, new byte[(int) MAX_RESULT + 1]));
    }

    @Test
    void attachesAnAcceptedUploadToItsTasksOutcome() {
        a.launch(List.of(), List.of(new TaskLaunch(10, new StageId(0), 0, 0)));
        byte[] result = {4, 2, 4, 2};

        assertNull(a.resultUploaded(10, result));
        assertEquals(List.of(), traffic.ended, "the scheduler hears nothing before the update");
        a.received(taskUpdates(TaskUpdate.newBuilder().setTaskId(10).setState(TaskState.TASK_FINISHED)
                .setUploadedResultBytes(result.length).build()));

        TaskOutcome outcome = traffic.outcomes("a").get(0);
        assertEquals(TaskOutcome.State.FINISHED, outcome.state());
        assertSame(result, outcome.result());
    }

    @Test
    void reportsAnUploadedResultThatNeverArrivedAsMissing() {
        a.launch(List.of(), List.of(new TaskLaunch(10, new StageId(0), 0, 0),
                new TaskLaunch(11, new StageId(0), 1, 0)));
        assertNull(a.resultUploaded(11, new byte[3]));

        a.received(taskUpdates(
                TaskUpdate.newBuilder().setTaskId(10).setState(TaskState.TASK_FINISHED).setUploadedResultBytes(8)
                        .build(),
                TaskUpdate.newBuilder().setTaskId(11).setState(TaskState.TASK_FINISHED).setUploadedResultBytes(8)
                        .build()));

        assertNull(traffic.outcomes("a").get(0).result(), "no upload");
        assertNull(traffic.outcomes("a").get(1).result(), "an upload of another length");
    }

    private static ExecutorMessage taskUpdates(TaskUpdate... updates) {
        return ExecutorMessage.newBuilder().setTaskUpdates(TaskUpdates.newBuilder().addAllUpdates(List.of(updates)))
                .build();
    }

    /** Records what the wires hand on. */
    private static final class RecordingTraffic implements ExecutorTraffic {
        private record Ended(String executorId, TaskOutcome outcome) {
        }

        final List<Ended> ended = new ArrayList<>();
        final List<BlockChange> blockChanges = new ArrayList<>();

        @Override
        public void tasksEnded(String executorId, List<TaskOutcome> outcomes) {
            outcomes.forEach(outcome -> ended.add(new Ended(executorId, outcome)));
        }

        @Override
        public void blocksChanged(String executorId, List<BlockChange> changes) {
            blockChanges.addAll(changes);
        }

        List<TaskOutcome> outcomes(String executorId) {
            return ended.stream().filter(e -> e.executorId().equals(executorId)).map(Ended::outcome).toList();
        }
    }
}
