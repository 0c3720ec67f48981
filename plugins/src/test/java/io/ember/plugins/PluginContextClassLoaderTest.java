package io.ember.plugins;

import static io.ember.plugins.PluginDiscoveryTest.manager;
import static io.ember.plugins.PluginDiscoveryTest.testClassLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.api.testkit.ManualClock;
import io.ember.api.testkit.RecordingAllocationClient;
import io.ember.api.testkit.RecordingAllocationClient.Kill;
import io.ember.api.testkit.TestingAllocationContext;
import io.ember.api.testkit.TestingSchedulable;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real plugin whose every method checks that it runs with its own class loader as the thread
 * context class loader, and throws when not. Loading it and calling everything it returns through
 * the host must therefore succeed, and leave the caller's context class loader in place.
 */
final class PluginContextClassLoaderTest {

    private static final String PLUGIN_CLASS = "testplugin.tccl.ContextCheckingPlugin";

    private static final String PLUGIN_SOURCE = """
            package testplugin.tccl;

            import io.ember.api.allocation.*;
            import io.ember.api.config.ConfigKey;
            import io.ember.api.config.Settings;
            import io.ember.api.plugin.Plugin;
            import io.ember.api.scheduler.*;
            import io.ember.api.shuffle.*;
            import java.util.*;
            import java.util.function.Predicate;

            public final class ContextCheckingPlugin implements Plugin {

                static void check(String where) {
                    ClassLoader context = Thread.currentThread().getContextClassLoader();
                    if (context != ContextCheckingPlugin.class.getClassLoader()) {
                        throw new IllegalStateException(where + " ran with context class loader " + context);
                    }
                }

                public ContextCheckingPlugin() { check("constructor"); }

                @Override public String name() { check("name"); return "context-checking"; }
                @Override public List<SchedulerFactory> schedulerFactories() { check("schedulerFactories"); return List.of(new Scheduler()); }
                @Override public List<AllocationPolicyFactory> allocationPolicyFactories() { check("allocationPolicyFactories"); return List.of(new Allocation()); }
                @Override public List<ShuffleManagerFactory> shuffleManagerFactories() { check("shuffleManagerFactories"); return List.of(new Shuffle()); }

                public static final class Scheduler implements SchedulerFactory {
                    @Override public String name() { check("scheduler name"); return "checked"; }
                    @Override public String description() { check("scheduler description"); return "checks its context class loader"; }
                    @Override public List<ConfigKey<?>> configKeys() { check("scheduler configKeys"); return List.of(); }
                    @Override public SchedulingPolicy create(Settings settings) {
                        check("scheduler create");
                        return level -> { check("createQueue"); return new Queue(); };
                    }
                }

                static final class Queue implements SchedulingQueue {
                    private final List<Schedulable> items = new ArrayList<>();

                    @Override public void add(Schedulable item) {
                        check("add");
                        if (item.name().equals("explode")) {
                            throw new IllegalArgumentException("explode");
                        }
                        items.add(item);
                    }
                    @Override public void remove(Schedulable item) { check("remove"); items.remove(item); }
                    @Override public void update(Schedulable item) { check("update"); }
                    @Override public Schedulable offer(Predicate<? super Schedulable> accepts) {
                        check("offer");
                        return items.stream().filter(accepts).findFirst().orElse(null);
                    }
                    @Override public Schedulable next() { check("next"); return items.isEmpty() ? null : items.get(0); }
                    @Override public List<GroupStatus> groups() { check("groups"); return List.of(); }
                }

                public static final class Allocation implements AllocationPolicyFactory {
                    @Override public String name() { check("allocation name"); return "checked"; }
                    @Override public AllocationPolicy create(Settings settings, AllocationContext context) {
                        check("allocation create");
                        return new Policy(context.client());
                    }
                }

                static final class Policy implements AllocationPolicy {
                    private final ExecutorAllocationClient client;

                    Policy(ExecutorAllocationClient client) { this.client = client; }

                    private void seen(String event) {
                        check(event);
                        client.killExecutors(List.of(event), 0);
                    }

                    @Override public void start() { seen("start"); }
                    @Override public void onStageSubmitted(int stageId, int tasks) { seen("onStageSubmitted"); }
                    @Override public void onStageCompleted(int stageId) { seen("onStageCompleted"); }
                    @Override public void onTaskStart(int stageId, String executorId) { seen("onTaskStart"); }
                    @Override public void onTaskEnd(int stageId, String executorId) { seen("onTaskEnd"); }
                    @Override public void onTaskResubmitted(int stageId) { seen("onTaskResubmitted"); }
                    @Override public void onCachedBlocksChanged(String executorId, boolean holds) { seen("onCachedBlocksChanged"); }
                    @Override public void onShuffleOutput(String executorId, int shuffleId) { seen("onShuffleOutput"); }
                    @Override public void onShuffleActive(int shuffleId, boolean active) { seen("onShuffleActive"); }
                    @Override public boolean requestTotalExecutors(int total) { seen("requestTotalExecutors"); return true; }
                    @Override public boolean requestExecutors(int count) { seen("requestExecutors"); return true; }
                    @Override public boolean killExecutors(Collection<String> ids) { seen("killExecutors"); return true; }
                    @Override public void onExecutorAdded(String executorId) { seen("onExecutorAdded"); }
                    @Override public void onExecutorRemoved(String executorId) { seen("onExecutorRemoved"); }
                    @Override public void tick() { seen("tick"); }
                    @Override public void close() { seen("close"); }
                }

                public static final class Shuffle implements ShuffleManagerFactory {
                    @Override public String name() { check("shuffle name"); return "checked"; }
                    @Override public ShuffleManager create(Settings settings) {
                        check("shuffle create");
                        return new Manager();
                    }
                }

                static final class Manager implements ShuffleManager {
                    private boolean closed;

                    @Override public String name() { check("manager name"); return closed ? "closed" : "open"; }
                    @Override public void close() { check("manager close"); closed = true; }
                }
            }
            """;

    @TempDir
    Path pluginsDir;

    private ClassLoader original;
    private URLClassLoader callerLoader;

    @BeforeEach
    void setCallerContextClassLoader() {
        original = Thread.currentThread().getContextClassLoader();
        callerLoader = new URLClassLoader("caller", new URL[0], null);
        Thread.currentThread().setContextClassLoader(callerLoader);
        TestingPluginJar.jar().source(PLUGIN_CLASS, PLUGIN_SOURCE).provider(PLUGIN_CLASS)
                .writeTo(pluginsDir.resolve("context-checking/context-checking.jar"));
    }

    @AfterEach
    void restoreContextClassLoader() throws IOException {
        Thread.currentThread().setContextClassLoader(original);
        callerLoader.close();
    }

    @Test
    void runsProviderCreationAndMetadataCallsUnderThePluginLoader() {
        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            PluginSet plugins = manager.load();

            assertEquals(List.of(), plugins.refusals());
            assertEquals("checks its context class loader", plugins.schedulerFactories().get("checked").description());
            assertSame(callerLoader, Thread.currentThread().getContextClassLoader());
        }
    }

    @Test
    void runsEveryQueueCallUnderThePluginLoaderAndRestoresTheCallersAfterwards() {
        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            SchedulerFactory factory = manager.load().schedulerFactories().get("checked");

            SchedulingQueue queue = factory.create(settings(factory)).createQueue(SchedulingLevel.APPLICATIONS);
            assertCallerLoaderRestored();
            TestingSchedulable item = TestingSchedulable.item("app-1", 1, 1);
            queue.add(item);
            assertCallerLoaderRestored();
            queue.update(item);
            assertCallerLoaderRestored();
            assertSame(item, queue.offer(candidate -> true));
            assertCallerLoaderRestored();
            assertSame(item, queue.next());
            assertCallerLoaderRestored();
            assertEquals(List.of(), queue.groups());
            assertCallerLoaderRestored();
            queue.remove(item);
            assertCallerLoaderRestored();
        }
    }

    @Test
    void runsEveryAllocationPolicyCallUnderThePluginLoader() {
        RecordingAllocationClient client = new RecordingAllocationClient();
        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            AllocationPolicyFactory factory = manager.load().allocationPolicyFactories().get("checked");

            try (AllocationPolicy policy = factory.create(settings(factory), TestingAllocationContext.of(client, new ManualClock()))) {
                policy.start();
                policy.onStageSubmitted(1, 10);
                policy.onTaskStart(1, "exec-1");
                policy.onTaskEnd(1, "exec-1");
                policy.onTaskResubmitted(1);
                policy.onCachedBlocksChanged("exec-1", true);
                policy.onShuffleOutput("exec-1", 3);
                policy.onShuffleActive(3, false);
                policy.requestTotalExecutors(2);
                policy.requestExecutors(1);
                policy.killExecutors(List.of("exec-1"));
                policy.onStageCompleted(1);
                policy.onExecutorAdded("exec-2");
                policy.onExecutorRemoved("exec-2");
                policy.tick();
                assertCallerLoaderRestored();
            }
            assertCallerLoaderRestored();
        }

        assertEquals(java.util.stream.Stream.of("start", "onStageSubmitted", "onTaskStart", "onTaskEnd", "onTaskResubmitted",
                        "onCachedBlocksChanged", "onShuffleOutput", "onShuffleActive", "requestTotalExecutors",
                        "requestExecutors", "killExecutors", "onStageCompleted", "onExecutorAdded", "onExecutorRemoved",
                        "tick", "close")
                .map(event -> new Kill(List.of(event), 0)).toList(), client.requests());
    }

    @Test
    void runsShuffleManagerCallsUnderThePluginLoader() {
        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            ShuffleManagerFactory factory = manager.load().shuffleManagerFactories().get("checked");

            ShuffleManager shuffle = factory.create(settings(factory));
            assertEquals("open", shuffle.name());
            shuffle.close();
            assertEquals("closed", shuffle.name());
            assertCallerLoaderRestored();
        }
    }

    @Test
    void restoresTheCallersContextClassLoaderWhenPluginCodeThrows() {
        try (PluginManager manager = manager(pluginsDir, testClassLoader())) {
            SchedulerFactory factory = manager.load().schedulerFactories().get("checked");
            SchedulingQueue queue = factory.create(settings(factory)).createQueue(SchedulingLevel.TASK_SETS);

            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> queue.add(TestingSchedulable.item("explode", 1, 1)));

            assertEquals("explode", thrown.getMessage());
            assertCallerLoaderRestored();
        }
    }

    private void assertCallerLoaderRestored() {
        assertSame(callerLoader, Thread.currentThread().getContextClassLoader());
    }

    private static DeclaredSettings settings(io.ember.api.plugin.PolicyFactory factory) {
        return DeclaredSettings.of(factory.configKeys(), Map.of());
    }
}
