package io.ember.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.shuffle.BlockLocation;
import io.ember.core.driver.client.ExecutorFailure;
import io.ember.core.scheduler.SchedulerSettings;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.shuffle.MapOutputTracker;
import io.ember.core.shuffle.MapStatus;
import io.ember.scheduler.fifo.FifoSchedulerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the driver makes of the leader's word about its application. */
final class ApplicationStatusTest {

    private final TaskScheduler scheduler = new TaskScheduler(new SchedulerSettings(4, 1, Duration.ZERO, 1L << 30, 0,
            Duration.ofMillis(50)), new FifoSchedulerFactory().create(DeclaredSettings.of(List.of(), Map.of()))
            .createQueue(SchedulingLevel.TASK_SETS), new JavaSerializer(PayloadFilter.standard()), Clock.systemUTC());
    private final AtomicInteger wakes = new AtomicInteger();
    private final ApplicationStatus status = new ApplicationStatus(() -> "app-1", scheduler, wakes::incrementAndGet);

    @AfterEach
    void closeScheduler() {
        scheduler.close();
    }

    /**
     * Registered again after the driver's session expired, the application may have been ended by the
     * cluster, its shuffle files deleted: every map output the driver tracks is forgotten, so the next
     * job computes them again instead of failing on fetches from services that no longer have them.
     */
    @Test
    void aRegistrationAfterASessionLossForgetsEveryMapOutput() {
        MapOutputTracker outputs = new MapOutputTracker();
        outputs.register(7, 2, 1);
        outputs.add(7, new MapStatus(0, 100, new BlockLocation("exec-1", "10.0.0.1", 7337), new long[] {10}));
        outputs.add(7, new MapStatus(1, 101, new BlockLocation("exec-2", "10.0.0.2", 7337), new long[] {10}));
        status.whenShuffleFilesLost(() -> outputs.locationsLost(location -> true));
        assertEquals(List.of(), outputs.missing(7));

        status.registeredAgainAfterSessionLoss();

        assertEquals(List.of(0, 1), outputs.missing(7));
    }

    @Test
    void explainsMissingExecutorsByTheLeadersReasonFirst() {
        status.executorFailed(new ExecutorFailure("2", "w1", 1, true, "stderr", List.of("Error: boom")));
        status.waiting("no worker is registered with the leader master");

        assertEquals(": no worker is registered with the leader master", status.explainMissingExecutors("d:1"));
    }

    @Test
    void elseByWhatTheLastFailedExecutorWrote() {
        status.executorFailed(new ExecutorFailure("2", "w1", 1, true, "stderr", List.of("Error: boom")));
        status.waiting("");

        assertEquals("; the last executor to fail, 2 on worker w1, exited with code 1; its stderr ends: Error: boom",
                status.explainMissingExecutors("d:1"));
    }

    @Test
    void elseAsksWhetherExecutorsReachTheDriver() {
        assertEquals(" (do executors reach the driver at d:1? a worker's log says why an executor did not start)",
                status.explainMissingExecutors("d:1"));
    }

    @Test
    void anApplicationFailsOnceAndWakesThoseWaiting() {
        status.applicationFailed("its executors exit before they register");
        status.applicationFailed("told again by a new leader");

        assertEquals(Optional.of("application app-1 failed: its executors exit before they register"),
                status.failure());
        assertEquals(1, wakes.get());
    }
}
