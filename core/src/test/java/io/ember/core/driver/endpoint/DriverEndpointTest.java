package io.ember.core.driver.endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.testkit.ManualClock;
import io.ember.core.job.StageId;
import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.BlockUpdates;
import io.ember.core.rpc.proto.DriverMessage;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.RegisterExecutor;
import io.ember.core.rpc.proto.TaskState;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.rpc.proto.TaskUpdates;
import io.ember.core.scheduler.TaskLaunch;
import io.ember.core.scheduler.TaskOutcome;
import io.ember.core.storage.BlockChange;
import io.ember.core.testing.Eventually;
import io.ember.core.testing.TestingExecutor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver's executor streams, on a real socket, with fake executors and a manual clock. */
final class DriverEndpointTest {

    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DriverEndpoint endpoint;

    @BeforeEach
    void start() {
        endpoint = DriverEndpoint.start("127.0.0.1", 0, Optional.empty(), INTERVAL, TIMEOUT, clock);
        endpoint.addListener(listener);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        endpoint.close();
    }

    @Test
    void registersAnExecutorAndAnswersWithTheApplicationAndHeartbeatInterval() throws Exception {
        endpoint.bindApplication("app-1");
        TestingExecutor executor = executor();

        executor.register("e1");

        DriverMessage registered = executor.next();
        assertTrue(registered.hasRegistered(), registered.toString());
        assertEquals("app-1", registered.getRegistered().getAppId());
        assertEquals(500, registered.getRegistered().getHeartbeatIntervalMillis());
        assertEquals(List.of(new ExecutorInfo("e1", "app-1", "worker-1", "127.0.0.1", 0, 2)), endpoint.executors());
        Eventually.await(() -> listener.events.equals(List.of("added e1")), "listeners hear of e1: " + listener.events);
    }

    /**
     * The lowest id a leader may give the next executor stays above every executor that ever registered,
     * lost ones included (a registration after the cluster ended the application sends it).
     */
    @Test
    void executorIdsFromStaysAboveEveryExecutorThatEverRegistered() throws Exception {
        endpoint.bindApplication("app-1");
        assertEquals(0, endpoint.executorIdsFrom());
        registered("4");
        registered("2");
        registered("driver-side-name");

        endpoint.drop("4", "a test drops it");

        Eventually.await(() -> !endpoint.executorIds().contains("4"), "executor 4 dropped");
        assertEquals(5, endpoint.executorIdsFrom());
    }

    @Test
    void refusesAnExecutorBeforeTheApplicationIsRegistered() {
        TestingExecutor executor = executor();

        executor.register("e1");

        Eventually.await(executor::ended, "the stream is refused");
        assertEquals(Status.Code.FAILED_PRECONDITION, executor.endStatus().getCode());
        assertEquals("the driver has no registered application yet", executor.endStatus().getDescription());
        assertEquals(List.of(), endpoint.executors());
    }

    @Test
    void refusesAStreamWhoseFirstMessageIsNotARegistration() {
        endpoint.bindApplication("app-1");
        TestingExecutor executor = executor();

        executor.heartbeat();

        Eventually.await(executor::ended, "the stream is refused");
        assertEquals(Status.Code.FAILED_PRECONDITION, executor.endStatus().getCode());
        assertEquals("the first message on a stream must be RegisterExecutor", executor.endStatus().getDescription());
    }

    @Test
    void refusesAMalformedRegistrationSayingWhatIsWrong() {
        endpoint.bindApplication("app-1");
        TestingExecutor executor = executor();

        executor.send(ExecutorMessage.newBuilder().setRegister(RegisterExecutor.newBuilder().setExecutorId("e1")
                .setWorkerId("worker-1").setHost("127.0.0.1").setCores(0)).build());

        Eventually.await(executor::ended, "the stream is refused");
        assertEquals(Status.Code.INVALID_ARGUMENT, executor.endStatus().getCode());
        assertEquals("RegisterExecutor of executor e1: cores must be >= 1: 0", executor.endStatus().getDescription());
        assertEquals(List.of(), endpoint.executors());
    }

    @Test
    void dropsAnExecutorThatSendsAMalformedReportSayingWhatWasWrong() throws Exception {
        endpoint.bindApplication("app-1");
        TestingExecutor executor = registered("e1");

        executor.send(ExecutorMessage.newBuilder().setBlockUpdates(BlockUpdates.newBuilder()
                .addUpdates(BlockUpdate.newBuilder().setDatasetId(3).setPartition(-1).setStored(true))).build());

        Eventually.await(executor::ended, "the stream is closed");
        assertEquals(Status.Code.INVALID_ARGUMENT, executor.endStatus().getCode());
        assertEquals("malformed message: datasetId and partition must be >= 0: 3/-1",
                executor.endStatus().getDescription());
        Eventually.await(() -> endpoint.executors().isEmpty(), "the executor is dropped");
    }

    @Test
    void dropsAnExecutorSilentForLongerThanTheHeartbeatTimeout() throws Exception {
        endpoint.bindApplication("app-1");
        TestingExecutor executor = registered("e1");

        clock.advance(TIMEOUT);
        assertEquals(List.of(), endpoint.checkHeartbeats(), "silent for exactly the timeout: kept");
        clock.advance(Duration.ofMillis(1));
        List<ExecutorInfo> dropped = endpoint.checkHeartbeats();

        assertEquals(List.of("e1"), dropped.stream().map(ExecutorInfo::executorId).toList());
        assertEquals(List.of(), endpoint.executors());
        DriverMessage shutdown = executor.next();
        assertEquals("no heartbeat for 5s (ember.executor.heartbeatTimeout)", shutdown.getShutdown().getReason());
        Eventually.await(executor::ended, "the silent executor's stream ends");
        assertEquals(Status.Code.OK, executor.endStatus().getCode());
        Eventually.await(() -> listener.events.equals(List.of("added e1",
                "removed e1: no heartbeat for 5s (ember.executor.heartbeatTimeout)")), "listeners: " + listener.events);
    }

    @Test
    void keepsAnExecutorThatHeartbeats() throws Exception {
        endpoint.bindApplication("app-1");
        TestingExecutor executor = registered("e1");

        for (int i = 0; i < 4; i++) {
            clock.advance(TIMEOUT.minusSeconds(1));
            executor.heartbeat();
            long now = clock.millis();
            Eventually.await(() -> endpoint.lastHeardMillis("e1").orElse(-1) == now, "the heartbeat arrives");
            clock.advance(Duration.ofMillis(900));
            assertEquals(List.of(), endpoint.checkHeartbeats());
        }

        assertEquals(List.of("e1"), endpoint.executors().stream().map(ExecutorInfo::executorId).toList());
        assertNull(executor.poll(), "nothing but Registered was sent");
    }

    @Test
    void dropsAnExecutorWhoseStreamBreaks() throws Exception {
        endpoint.bindApplication("app-1");
        TestingExecutor executor = registered("e1");

        executor.breakStream();

        Eventually.await(() -> endpoint.executors().isEmpty(), "e1 is dropped");
        Eventually.await(() -> listener.events.size() == 2, "listeners hear of it: " + listener.events);
        assertTrue(listener.events.get(1).startsWith("removed e1: its stream broke (CANCELLED"), listener.events.get(1));
    }

    @Test
    void dropsAnExecutorThatClosesItsStreamAndEndsTheStream() throws Exception {
        endpoint.bindApplication("app-1");
        TestingExecutor executor = registered("e1");

        executor.completeStream();

        Eventually.await(() -> endpoint.executors().isEmpty(), "e1 is dropped");
        Eventually.await(executor::ended, "the driver ends its side too");
        assertEquals(Status.Code.OK, executor.endStatus().getCode());
        Eventually.await(() -> listener.events.equals(List.of("added e1", "removed e1: it closed its stream")),
                "listeners: " + listener.events);
    }

    @Test
    void replacesTheStreamOfAnExecutorThatRegistersAgain() throws Exception {
        endpoint.bindApplication("app-1");
        TestingExecutor first = registered("e1");

        TestingExecutor second = registered("e1");

        Eventually.await(first::ended, "the first stream is closed");
        assertEquals(Status.Code.ABORTED, first.endStatus().getCode());
        assertEquals(1, endpoint.executors().size());
        assertTrue(!second.ended(), "the new stream stays open");
        Eventually.await(() -> listener.events.equals(List.of("added e1",
                "removed e1: it connected again on a new stream", "added e1")), "listeners: " + listener.events);
    }

    @Test
    void shutsDownEveryExecutorWithTheReason() throws Exception {
        endpoint.bindApplication("app-1");
        TestingExecutor one = registered("e1");
        TestingExecutor two = registered("e2");

        endpoint.shutdownAll("application app-1 ended");

        for (TestingExecutor executor : List.of(one, two)) {
            assertEquals("application app-1 ended", executor.next().getShutdown().getReason());
            Eventually.await(executor::ended, "the stream ends");
            assertEquals(Status.Code.OK, executor.endStatus().getCode());
        }
        assertEquals(List.of(), endpoint.executors());
    }

    @Test
    void aWaitThatTimesOutReturnsTheExecutorsRegisteredThen() throws Exception {
        endpoint.bindApplication("app-1");
        registered("e1");

        assertEquals(1, endpoint.awaitExecutors(1, Duration.ofSeconds(5)).size());
        long start = System.nanoTime();
        List<ExecutorInfo> fewer = endpoint.awaitExecutors(3, Duration.ofMillis(50));

        assertEquals(List.of("e1"), fewer.stream().map(ExecutorInfo::executorId).toList());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos(), "it waited out the timeout");
    }


    @Test
    void keepsAnUploadedResultForItsTaskAndRefusesOneFromAnotherExecutor() throws Exception {
        List<TaskOutcome> outcomes = new CopyOnWriteArrayList<>();
        DriverEndpoint tasks = DriverEndpoint.start("127.0.0.1", 0, Optional.empty(), INTERVAL, TIMEOUT, clock,
                ExecutorSetup.DEFAULT, new ExecutorTraffic() {
                    @Override
                    public void tasksEnded(String executorId, List<TaskOutcome> ended) {
                        outcomes.addAll(ended);
                    }

                    @Override
                    public void blocksChanged(String executorId, List<BlockChange> changes) {
                    }
                });
        toClose.add(tasks);
        tasks.bindApplication("app-1");
        TestingExecutor a = new TestingExecutor(tasks.address());
        TestingExecutor b = new TestingExecutor(tasks.address());
        toClose.add(a);
        toClose.add(b);
        a.register("a");
        b.register("b");
        Eventually.await(() -> tasks.executorIds().equals(Set.of("a", "b")), "both registered");
        tasks.handle("a").orElseThrow().launch(List.of(), List.of(new TaskLaunch(5, new StageId(0), 0, 0)));
        byte[] result = {4, 2};

        Status refused = b.upload("b", 5, result);
        Status accepted = a.upload("a", 5, result);
        a.send(ExecutorMessage.newBuilder().setTaskUpdates(TaskUpdates.newBuilder().addUpdates(TaskUpdate.newBuilder()
                .setTaskId(5).setState(TaskState.TASK_FINISHED).setUploadedResultBytes(result.length))).build());

        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getCode());
        assertEquals("task 5 is not running on executor b", refused.getDescription());
        assertEquals(Status.Code.OK, accepted.getCode());
        Eventually.await(() -> outcomes.size() == 1, "the task's outcome arrives");
        assertArrayEquals(result, outcomes.get(0).result());
    }

    private TestingExecutor executor() {
        TestingExecutor executor = new TestingExecutor(endpoint.address());
        toClose.add(executor);
        return executor;
    }

    private TestingExecutor registered(String executorId) throws InterruptedException {
        TestingExecutor executor = executor();
        executor.register(executorId);
        assertTrue(executor.next().hasRegistered());
        return executor;
    }
}
