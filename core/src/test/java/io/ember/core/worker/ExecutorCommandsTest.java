package io.ember.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.KeyCatalog;
import io.ember.core.executor.ExecutorArguments;
import io.ember.core.rpc.proto.ApplicationSpec;
import io.ember.core.rpc.proto.ExecutorSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a worker places the executor the leader asked for, and the arguments it starts it with. */
final class ExecutorCommandsTest {

    private static final WorkerOptions OPTIONS = WorkerOptions.from(EmberConfig.resolve(
            ConfigSources.read(null, Map.of(), Map.of(), Map.of("ember.zookeeper.connect", "zk1:2181",
                    "ember.executor.cores", "2", "ember.executor.memory", "1g")),
            new KeyCatalog(EmberKeys.all(), Map.of())), Path.of("/opt/ember"));

    private static ExecutorSpec.Builder requested() {
        return ExecutorSpec.newBuilder().setAppId("app-1").setExecutorId("3");
    }

    @Test
    void fillsWhatTheRequestLeavesOutFromTheApplicationThenTheWorker() {
        ApplicationSpec app = ApplicationSpec.newBuilder().setDriverAddress("driver:7000").setCoresPerExecutor(4)
                .build();

        ExecutorSpec placed = ExecutorCommands.placed(requested().build(), app, "w1", OPTIONS);

        assertEquals("w1", placed.getWorkerId());
        assertEquals(4, placed.getCores());
        assertEquals(OPTIONS.executorMemoryBytes(), placed.getMemoryBytes());
        assertEquals("driver:7000", placed.getDriverAddress());
    }

    @Test
    void keepsWhatTheRequestSays() {
        ExecutorSpec placed = ExecutorCommands.placed(requested().setCores(1).setMemoryBytes(64L << 20)
                .setDriverAddress("other:1").setWorkerId("w1").build(), ApplicationSpec.getDefaultInstance(), "w1",
                OPTIONS);

        assertEquals(1, placed.getCores());
        assertEquals(64L << 20, placed.getMemoryBytes());
        assertEquals("other:1", placed.getDriverAddress());
    }

    @Test
    void refusesAnExecutorPlacedOnAnotherWorker() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutorCommands.placed(
                requested().setWorkerId("w2").setDriverAddress("d:1").build(), ApplicationSpec.getDefaultInstance(),
                "w1", OPTIONS));
        assertEquals("executor 3 of application app-1 is placed on worker w2, not on this worker w1", e.getMessage());
    }

    @Test
    void refusesAnExecutorWithoutADriver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutorCommands.placed(
                requested().build(), ApplicationSpec.getDefaultInstance(), "w1", OPTIONS));
        assertEquals("executor 3 of application app-1 has no driver address", e.getMessage());
    }

    @Test
    void startsThePlacedExecutorWithItsOwnIdsCoresAndDriver() {
        ExecutorSpec placed = ExecutorCommands.placed(requested().setDriverAddress("driver:7000").build(),
                ApplicationSpec.getDefaultInstance(), "w1", OPTIONS);

        ExecutorArguments arguments = ExecutorCommands.arguments(placed, ApplicationSpec.getDefaultInstance(), OPTIONS,
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
