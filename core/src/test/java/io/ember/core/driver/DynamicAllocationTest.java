package io.ember.core.driver;

import static io.ember.core.driver.CountingShuffle.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.dataset.Pair;
import io.ember.core.dataset.PairDataset;
import io.ember.core.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic allocation and the programmable executor API on {@code local-cluster[2,1]}: executors are
 * real processes started by the workers on the master's orders, and every worker runs the external
 * shuffle service.
 */
@Timeout(240)
final class DynamicAllocationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private EmberContext start(String allocation, Map<String, String> more) {
        EmberContext.Builder builder = LocalApplications.builder(dir, "local-cluster[2,1]", "dynamic-allocation")
                .set("ember.allocation", allocation)
                .set("ember.executor.memory", "128m");
        if (allocation.equals("dynamic")) {
            builder.set("ember.allocation.dynamic.minExecutors", "0")
                    .set("ember.allocation.dynamic.maxExecutors", "2")
                    .set("ember.allocation.dynamic.schedulerBacklogTimeout", "200ms")
                    .set("ember.allocation.dynamic.executorIdleTimeout", "2s");
        }
        return builder.setAll(more).build();
    }

    private static PairDataset<Long, Long> sums(EmberContext ember) {
        return CountingShuffle.counts(ember, 4);
    }

    private static long metric(EmberContext ember, String name) {
        Long value = ember.metrics().get(name);
        if (value == null) {
            throw new AssertionError("no metric " + name + " in " + ember.metrics());
        }
        return value;
    }

    @Test
    void aBacklogBringsExecutorsWhichIdleOutAndComeBackForTheNextJobThatReadsTheReleasedOnesOutput() {
        try (EmberContext ember = start("dynamic", Map.of())) {
            assertEquals(List.of(), ember.getExecutorIds(), "minExecutors 0: no executor before there is work");
            assertEquals(0, metric(ember, "allocation.target"));
            MapStageTasks maps = new MapStageTasks();
            ember.addListener(maps);
            PairDataset<Long, Long> sums = sums(ember);

            assertEquals(expected(), sums.collectAsMap());
            assertTrue(metric(ember, "allocation.target.raised") >= 1, ember.metrics().toString());

            Eventually.await(WAIT, () -> ember.getExecutorIds().isEmpty(),
                    () -> "every executor is released after executorIdleTimeout; still " + ember.getExecutorIds());
            // executors joining and leaving are counted as the endpoint's listeners hear of them, a moment later
            Eventually.await(WAIT, () -> metric(ember, "executors.added") >= 1
                            && metric(ember, "executors.removed") == metric(ember, "executors.added"),
                    () -> "every executor's arrival and removal is counted: " + ember.metrics());
            long added = metric(ember, "executors.added");
            assertTrue(added <= 2, "the backlog brought 1 or 2 executors (maxExecutors 2): " + added);
            assertEquals(added, metric(ember, "allocation.executors.released"), ember.metrics().toString());
            Eventually.await(WAIT, () -> metric(ember, "allocation.target") == 0,
                    () -> "the target falls to 0: " + ember.metrics());
            Eventually.await(Duration.ofSeconds(10), () -> maps.count() == 8, "8 map tasks heard");

            assertEquals(expected(), sums.collectAsMap(), "exact, from the output the released executors wrote");
            assertEquals(8, maps.count(), "no map task ran again: the workers' shuffle services served the output");
            Eventually.await(WAIT, () -> metric(ember, "executors.added") > added,
                    () -> "the second job brought executors back: " + ember.metrics());
        }
    }

    @Test
    void withoutTheServiceShuffleTrackingKeepsAnIdleExecutorWhileARunningJobNeedsItsOutput() {
        try (EmberContext ember = start("dynamic", Map.of("ember.shuffle.service.enabled", "false",
                "ember.allocation.dynamic.executorIdleTimeout", "1s"))) {
            MapStageTasks maps = new MapStageTasks();
            ember.addListener(maps);
            // 8 slow map tasks spread over both executors; then one reduce task of 4 s, during which
            // the other executor is idle but holds map output the running job still needs
            Map<Long, Long> counts = ember.range(0, 8, 8)
                    .mapToPair(i -> {
                        park(400);
                        return new Pair<>(i % 2, 1L);
                    })
                    .reduceByKey(Long::sum, 1)
                    .mapValues(v -> {
                        park(2_000);
                        return v;
                    })
                    .collectAsMap();

            assertEquals(Map.of(0L, 4L, 1L, 4L), counts);
            assertEquals(2, maps.executors().size(), "both executors wrote map output: " + maps.executors());
            assertEquals(0, metric(ember, "allocation.executors.released"),
                    "no executor holding output of the running job's shuffle was released: " + ember.metrics());
            Eventually.await(WAIT, () -> ember.getExecutorIds().isEmpty(),
                    () -> "once the job ended, both idle out: " + ember.getExecutorIds());
        }
    }

    @Test
    void underDynamicAllocationRequestsAreClampedAndAKillLowersTheTargetSoTheExecutorIsNotReplaced() {
        // The 4-task job below must never count as a backlog (on a loaded machine it can wait more than
        // 200 ms for its one executor): the test is about the application's own requests and kills.
        try (EmberContext ember = start("dynamic", Map.of("ember.allocation.dynamic.executorIdleTimeout", "10m",
                "ember.allocation.dynamic.schedulerBacklogTimeout", "10m"))) {
            assertTrue(ember.requestTotalExecutors(5));
            assertEquals(2, metric(ember, "allocation.target"), "clamped to maxExecutors 2");
            Eventually.await(WAIT, () -> ember.getExecutorIds().size() == 2,
                    () -> "2 executors without any job: " + ember.getExecutorIds());

            String victim = ember.getExecutorIds().get(0);
            assertTrue(ember.killExecutor(victim));
            assertEquals(1, metric(ember, "allocation.target"), "the kill lowered the target");
            Eventually.await(WAIT, () -> !ember.getExecutorIds().contains(victim),
                    () -> "executor " + victim + " leaves: " + ember.getExecutorIds());
            assertEquals(1, ember.getExecutorIds().size());
            assertEquals(1, metric(ember, "allocation.executors.killed"));
            assertEquals(0, metric(ember, "allocation.executors.released"), "the policy released nothing itself");

            assertEquals(1L, ember.range(0, 4, 4).map(i -> ProcessHandle.current().pid()).collect().stream()
                    .distinct().count(), "one executor runs everything: the killed one was not replaced");
            // counted as the endpoint's listeners hear of the executors, which can be after the job ran
            Eventually.await(WAIT, () -> metric(ember, "executors.added") == 2,
                    () -> "both executors' arrivals are counted: " + ember.metrics());
            assertFalse(ember.killExecutor("no-such-executor"), "an unknown id sends nothing");

            // The job released the policy's hold on the application's target: a tick may have lowered it
            // to what the (empty) backlog needs. Setting it again holds it until the next stage.
            assertTrue(ember.requestTotalExecutors(1));
            assertTrue(ember.requestExecutors(1));
            assertEquals(2, metric(ember, "allocation.target"), "one on top of the target of 1");
            Eventually.await(WAIT, () -> ember.getExecutorIds().size() == 2,
                    () -> "a second executor again: " + ember.getExecutorIds());
            assertThrows(IllegalArgumentException.class, () -> ember.requestTotalExecutors(-1));
        }
    }

    @Test
    void underStaticAllocationRequestsSetTheTotalAndAKillIsNotReplaced() {
        try (EmberContext ember = start("static", Map.of("ember.executor.instances", "1"))) {
            ember.awaitExecutors(1, WAIT);
            assertEquals(1, metric(ember, "allocation.target"));

            assertTrue(ember.requestTotalExecutors(2));
            Eventually.await(WAIT, () -> ember.getExecutorIds().size() == 2,
                    () -> "a second executor: " + ember.getExecutorIds());
            List<String> both = ember.getExecutorIds();

            assertTrue(ember.killExecutors(List.of(both.get(1), "no-such-executor")));
            assertEquals(1, metric(ember, "allocation.target"));
            Eventually.await(WAIT, () -> ember.getExecutorIds().equals(List.of(both.get(0))),
                    () -> "only " + both.get(0) + " is left: " + ember.getExecutorIds());
            assertEquals(1L, ember.range(0, 4, 4).map(i -> ProcessHandle.current().pid()).collect().stream()
                    .distinct().count(), "not replaced");
            Eventually.await(WAIT, () -> metric(ember, "executors.added") == 2,
                    () -> "both executors' arrivals are counted: " + ember.metrics());
            assertEquals(1, metric(ember, "allocation.executors.killed"));

            assertTrue(ember.requestExecutors(1));
            Eventually.await(WAIT, () -> ember.getExecutorIds().size() == 2 && metric(ember, "executors.added") == 3,
                    () -> "a third executor joins: " + ember.getExecutorIds() + ", " + ember.metrics());
        }
    }

    @Test
    void localModeHasNoExecutorsToRequestOrKill() {
        try (EmberContext ember = EmberContext.builder().isolated().master("local[2]").appName("local").build()) {
            assertEquals(1, ember.getExecutorIds().size(), "the in-process executor");
            UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                    () -> ember.requestTotalExecutors(2));
            assertTrue(refused.getMessage().contains("local[2]"), refused.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> ember.killExecutor(ember.getExecutorIds().get(0)));
            assertThrows(IllegalArgumentException.class, () -> ember.requestExecutors(-1));
        }
    }

    /** Parks the calling task thread; used by tasks that must take a while. */
    static void park(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
