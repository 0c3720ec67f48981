package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.KeyCatalog;
import io.ember.core.executor.ExecutorArguments;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a worker places the executor the leader asked for, and the arguments it starts it with. */
final class ExecutorCommandsTest {

    private static final WorkerOptions OPTIONS = WorkerOptions.from(EmberConfig.resolve(
            ConfigSources.read(null, Map.of(), Map.of(), Map.of("ember.zookeeper.connect", "zk1:2181",
                    "ember.host", "10.0.0.21", "ember.executor.cores", "2", "ember.executor.memory", "1g")),
            new KeyCatalog(EmberKeys.all(), Map.of())), Path.of("/opt/ember"));

    /** What the leader asks for, leaving the worker, the resources and the driver to the worker. */
    private static ExecutorAssignment requested() {
        return requested("", 0, 0, "");
    }

    private static ExecutorAssignment requested(String workerId, int cores, long memoryBytes, String driverAddress) {
        return new ExecutorAssignment("app-1", "3", workerId, cores, memoryBytes, driverAddress);
    }

    @Test
    void fillsWhatTheRequestLeavesOutFromTheApplicationThenTheWorker() {
        ApplicationSettings app = new ApplicationSettings(4, 0, "driver:7000", Map.of());

        ExecutorAssignment placed = ExecutorCommands.placed(requested(), app, "w1", OPTIONS);

        assertEquals(new ExecutorAssignment("app-1", "3", "w1", 4, OPTIONS.executorMemoryBytes(), "driver:7000"),
                placed);
    }

    @Test
    void keepsWhatTheRequestSays() {
        ExecutorAssignment placed = ExecutorCommands.placed(requested("w1", 1, 64L << 20, "other:1"),
                new ApplicationSettings(4, 1L << 30, "driver:7000", Map.of()), "w1", OPTIONS);

        assertEquals(1, placed.cores());
        assertEquals(64L << 20, placed.memoryBytes());
        assertEquals("other:1", placed.driverAddress());
    }

    @Test
    void refusesAnExecutorPlacedOnAnotherWorker() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutorCommands.placed(
                requested("w2", 0, 0, "d:1"), ApplicationSettings.NONE, "w1", OPTIONS));
        assertEquals("executor 3 of application app-1 is placed on worker w2, not on this worker w1", e.getMessage());
    }

    @Test
    void refusesAnExecutorWithoutADriver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutorCommands.placed(
                requested(), ApplicationSettings.NONE, "w1", OPTIONS));
        assertEquals("executor 3 of application app-1 has no driver address", e.getMessage());
    }

    @Test
    void refusesAnIdThatIsNoSafeDirectoryName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutorCommands.placed(
                new ExecutorAssignment("..", "3", "", 0, 0, "d:1"), ApplicationSettings.NONE, "w1", OPTIONS));
        assertEquals("Invalid application id '..': use 1 to 255 letters, digits, '.', '_' or '-', and not '.' or '..'",
                e.getMessage());
    }

    @Test
    void startsThePlacedExecutorWithItsOwnIdsCoresAndDriver() {
        ExecutorAssignment placed = ExecutorCommands.placed(requested("", 0, 0, "driver:7000"),
                ApplicationSettings.NONE, "w1", OPTIONS);

        ExecutorArguments arguments = ExecutorCommands.arguments(placed, ApplicationSettings.NONE, OPTIONS,
                WorkerShuffle.none(), 0);

        assertEquals("app-1", arguments.appId());
        assertEquals("3", arguments.executorId());
        assertEquals("w1", arguments.workerId());
        assertEquals("driver:7000", arguments.driverAddress());
        assertEquals(2, arguments.cores());
        assertEquals("zk1:2181", arguments.zooKeeperConnect());
        assertEquals("false", arguments.settings().get("ember.shuffle.service.enabled"));
    }
}
