package io.ember.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.ConfigKey;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.config.Settings;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.scheduler.SchedulingQueue;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.api.testkit.ManualClock;
import io.ember.api.testkit.RecordingAllocationClient;
import io.ember.api.testkit.TestingAllocationContext;
import io.ember.api.testkit.TestingSchedulable;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TCCL-safe wrappers around host-side fakes that record the context class loader of every call
 * they receive: every method is forwarded, the default ones included, under the plugin's loader.
 */
final class ClassLoaderSafeWrappersTest {

    private static final Settings NO_SETTINGS = DeclaredSettings.of(List.of(), Map.of());

    private final List<String> calls = new ArrayList<>();
    private ClassLoader original;
    private URLClassLoader pluginLoader;
    private URLClassLoader callerLoader;

    @BeforeEach
    void createLoaders() {
        original = Thread.currentThread().getContextClassLoader();
        pluginLoader = new URLClassLoader("plugin", new URL[0], null);
        callerLoader = new URLClassLoader("caller", new URL[0], null);
        Thread.currentThread().setContextClassLoader(callerLoader);
    }

    @AfterEach
    void closeLoaders() throws IOException {
        Thread.currentThread().setContextClassLoader(original);
        pluginLoader.close();
        callerLoader.close();
    }

    @Test
    void wrapsEveryMethodOfEveryInterfaceItStandsFor() {
        assertDeclaresEveryMethod(ClassLoaderSafeSchedulerFactory.class, SchedulerFactory.class);
        assertDeclaresEveryMethod(ClassLoaderSafeSchedulingPolicy.class, SchedulingPolicy.class);
        assertDeclaresEveryMethod(ClassLoaderSafeSchedulingQueue.class, SchedulingQueue.class);
        assertDeclaresEveryMethod(ClassLoaderSafeAllocationPolicyFactory.class, AllocationPolicyFactory.class);
        assertDeclaresEveryMethod(ClassLoaderSafeAllocationPolicy.class, AllocationPolicy.class);
        assertDeclaresEveryMethod(ClassLoaderSafeShuffleManagerFactory.class, ShuffleManagerFactory.class);
        assertDeclaresEveryMethod(ClassLoaderSafeShuffleManager.class, ShuffleManager.class);
        assertDeclaresEveryMethod(ClassLoaderSafeExecutorShuffle.class, io.ember.api.shuffle.ExecutorShuffle.class);
        assertDeclaresEveryMethod(ClassLoaderSafeShuffleService.class, io.ember.api.shuffle.ShuffleService.class);
    }

    @Test
    void forwardsEverySchedulingCallUnderThePluginLoader() {
        SchedulerFactory factory = new ClassLoaderSafeSchedulerFactory(new RecordingScheduler(), metadata(PolicyKind.SCHEDULER), pluginLoader);
        TestingSchedulable item = TestingSchedulable.item("a", 1, 1);

        SchedulingQueue queue = factory.create(NO_SETTINGS).createQueue(SchedulingLevel.TASK_SETS);
        queue.add(item);
        queue.update(item);
        assertSame(item, queue.offer(candidate -> true));
        assertSame(item, queue.next());
        queue.groups();
        queue.remove(item);

        assertEquals(List.of("create@plugin", "createQueue@plugin", "add@plugin", "update@plugin", "offer@plugin", "next@plugin",
                "groups@plugin", "remove@plugin"), calls);
        assertSame(callerLoader, Thread.currentThread().getContextClassLoader());
    }

    @Test
    void forwardsEveryAllocationCallIncludingDefaultMethodsUnderThePluginLoader() {
        AllocationPolicyFactory factory = new ClassLoaderSafeAllocationPolicyFactory(new RecordingAllocation(), metadata(PolicyKind.ALLOCATION),
                pluginLoader);

        AllocationPolicy policy = factory.create(NO_SETTINGS, TestingAllocationContext.of(new RecordingAllocationClient(), new ManualClock()));
        policy.start();
        policy.onStageSubmitted(3, 7);
        policy.onStageCompleted(3);
        policy.onTaskStart(3, "e1");
        policy.onTaskEnd(3, "e1");
        policy.onTaskResubmitted(3);
        policy.onCachedBlocksChanged("e1", true);
        policy.onShuffleOutput("e1", 4);
        policy.onShuffleActive(4, true);
        assertTrue(policy.requestTotalExecutors(5));
        assertFalse(policy.requestExecutors(2));
        assertTrue(policy.killExecutors(List.of("e1")));
        policy.onExecutorAdded("e2");
        policy.onExecutorRemoved("e2");
        policy.tick();
        policy.close();

        assertEquals(List.of("create@plugin", "start@plugin", "onStageSubmitted 3 7@plugin", "onStageCompleted 3@plugin",
                "onTaskStart 3 e1@plugin", "onTaskEnd 3 e1@plugin", "onTaskResubmitted 3@plugin",
                "onCachedBlocksChanged e1 true@plugin", "onShuffleOutput e1 4@plugin", "onShuffleActive 4 true@plugin",
                "requestTotalExecutors 5@plugin", "requestExecutors 2@plugin", "killExecutors [e1]@plugin",
                "onExecutorAdded e2@plugin", "onExecutorRemoved e2@plugin", "tick@plugin", "close@plugin"), calls);
        assertSame(callerLoader, Thread.currentThread().getContextClassLoader());
    }

    @Test
    void forwardsEveryShuffleCallUnderThePluginLoader() {
        ShuffleManagerFactory factory = new ClassLoaderSafeShuffleManagerFactory(new RecordingShuffle(), metadata(PolicyKind.SHUFFLE), pluginLoader);

        ShuffleManager manager = factory.create(NO_SETTINGS);
        assertEquals("recorded", manager.name());
        manager.close();

        assertEquals(List.of("create@plugin", "name@plugin", "close@plugin"), calls);
        assertSame(callerLoader, Thread.currentThread().getContextClassLoader());
    }

    @Test
    void answersMetadataFromLoadTimeWithoutCallingThePlugin() {
        ConfigKey<Integer> slots = ConfigKey.key("slots", io.ember.api.config.ValueType.INT).defaultValue(1).doc("slots").build();
        FactoryMetadata metadata = new FactoryMetadata(PolicyKind.SCHEDULER, "recorded", "records calls", List.of(slots));
        SchedulerFactory factory = new ClassLoaderSafeSchedulerFactory(new RecordingScheduler(), metadata, pluginLoader);

        assertEquals("recorded", factory.name());
        assertEquals("records calls", factory.description());
        assertEquals(List.of(slots), factory.configKeys());
        assertEquals(List.of(), calls);
    }

    @Test
    void leavesTheContextClassLoaderInPlaceWhenItIsAlreadyThePlugins() {
        SchedulerFactory factory = new ClassLoaderSafeSchedulerFactory(new RecordingScheduler(), metadata(PolicyKind.SCHEDULER), pluginLoader);
        SchedulingQueue queue = factory.create(NO_SETTINGS).createQueue(SchedulingLevel.TASK_SETS);
        Thread.currentThread().setContextClassLoader(pluginLoader);

        queue.add(TestingSchedulable.item("a", 1, 1));

        assertEquals("add@plugin", calls.get(calls.size() - 1));
        assertSame(pluginLoader, Thread.currentThread().getContextClassLoader());
    }

    @Test
    void restoresTheCallersContextClassLoaderWhenThePluginThrows() {
        SchedulerFactory factory = new ClassLoaderSafeSchedulerFactory(new RecordingScheduler(), metadata(PolicyKind.SCHEDULER), pluginLoader);
        SchedulingQueue queue = factory.create(NO_SETTINGS).createQueue(SchedulingLevel.TASK_SETS);
        queue.add(TestingSchedulable.item("a", 1, 1));

        assertThrows(IllegalStateException.class, () -> queue.offer(candidate -> {
            throw new IllegalStateException("predicate failed");
        }));

        assertSame(callerLoader, Thread.currentThread().getContextClassLoader());
    }

    @Test
    void refusesANullPolicyFromAFactoryNamingTheFactory() {
        ShuffleManagerFactory returnsNull = new ShuffleManagerFactory() {
            @Override
            public String name() {
                return "recorded";
            }

            @Override
            public ShuffleManager create(Settings settings) {
                return null;
            }
        };
        ShuffleManagerFactory factory = new ClassLoaderSafeShuffleManagerFactory(returnsNull, metadata(PolicyKind.SHUFFLE), pluginLoader);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> factory.create(NO_SETTINGS));

        assertEquals("shuffle 'recorded' returned null from create()", e.getMessage());
    }

    private static FactoryMetadata metadata(PolicyKind kind) {
        return new FactoryMetadata(kind, "recorded", "", List.of());
    }

    private static void assertDeclaresEveryMethod(Class<?> wrapper, Class<?> api) {
        for (Method method : api.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            try {
                Method implementation = wrapper.getMethod(method.getName(), method.getParameterTypes());
                // Implemented by the wrapper or its host-side base class, never left to an interface default.
                assertFalse(implementation.getDeclaringClass().isInterface(),
                        () -> wrapper.getSimpleName() + " does not forward " + api.getSimpleName() + "." + method.getName());
                assertTrue(implementation.getDeclaringClass().isAssignableFrom(wrapper)
                                && implementation.getDeclaringClass().getPackageName().equals(wrapper.getPackageName()),
                        () -> wrapper.getSimpleName() + " inherits " + method.getName() + " from outside the host");
            } catch (NoSuchMethodException e) {
                throw new AssertionError(wrapper.getSimpleName() + " lacks " + method, e);
            }
        }
        assertTrue(api.isAssignableFrom(wrapper), wrapper + " is not a " + api);
    }

    private void record(String call) {
        calls.add(call + "@" + Thread.currentThread().getContextClassLoader().getName());
    }

    /** A scheduler factory whose metadata must never be asked for once captured. */
    private final class RecordingScheduler implements SchedulerFactory {
        @Override
        public String name() {
            throw new AssertionError("name() called after load");
        }

        @Override
        public String description() {
            throw new AssertionError("description() called after load");
        }

        @Override
        public List<ConfigKey<?>> configKeys() {
            throw new AssertionError("configKeys() called after load");
        }

        @Override
        public SchedulingPolicy create(Settings settings) {
            record("create");
            return level -> {
                record("createQueue");
                return new RecordingQueue();
            };
        }
    }

    private final class RecordingQueue implements SchedulingQueue {
        private final List<Schedulable> items = new ArrayList<>();

        @Override
        public void add(Schedulable item) {
            record("add");
            items.add(item);
        }

        @Override
        public void remove(Schedulable item) {
            record("remove");
            items.remove(item);
        }

        @Override
        public void update(Schedulable item) {
            record("update");
        }

        @Override
        public Schedulable offer(Predicate<? super Schedulable> accepts) {
            record("offer");
            return items.stream().filter(accepts).findFirst().orElse(null);
        }

        @Override
        public Schedulable next() {
            record("next");
            return items.isEmpty() ? null : items.get(0);
        }

        @Override
        public List<GroupStatus> groups() {
            record("groups");
            return List.of();
        }
    }

    private final class RecordingAllocation implements AllocationPolicyFactory {
        @Override
        public String name() {
            return "recorded";
        }

        @Override
        public AllocationPolicy create(Settings settings, AllocationContext context) {
            record("create");
            return new AllocationPolicy() {
                @Override
                public void start() {
                    record("start");
                }

                @Override
                public void onStageSubmitted(int stageId, int tasks) {
                    record("onStageSubmitted " + stageId + " " + tasks);
                }

                @Override
                public void onStageCompleted(int stageId) {
                    record("onStageCompleted " + stageId);
                }

                @Override
                public void onTaskStart(int stageId, String executorId) {
                    record("onTaskStart " + stageId + " " + executorId);
                }

                @Override
                public void onTaskEnd(int stageId, String executorId) {
                    record("onTaskEnd " + stageId + " " + executorId);
                }

                @Override
                public void onTaskResubmitted(int stageId) {
                    record("onTaskResubmitted " + stageId);
                }

                @Override
                public void onCachedBlocksChanged(String executorId, boolean holdsCachedBlocks) {
                    record("onCachedBlocksChanged " + executorId + " " + holdsCachedBlocks);
                }

                @Override
                public void onShuffleOutput(String executorId, int shuffleId) {
                    record("onShuffleOutput " + executorId + " " + shuffleId);
                }

                @Override
                public void onShuffleActive(int shuffleId, boolean active) {
                    record("onShuffleActive " + shuffleId + " " + active);
                }

                @Override
                public boolean requestTotalExecutors(int total) {
                    record("requestTotalExecutors " + total);
                    return true;
                }

                @Override
                public boolean requestExecutors(int count) {
                    record("requestExecutors " + count);
                    return false;
                }

                @Override
                public boolean killExecutors(java.util.Collection<String> executorIds) {
                    record("killExecutors " + executorIds);
                    return true;
                }

                @Override
                public void onExecutorAdded(String executorId) {
                    record("onExecutorAdded " + executorId);
                }

                @Override
                public void onExecutorRemoved(String executorId) {
                    record("onExecutorRemoved " + executorId);
                }

                @Override
                public void tick() {
                    record("tick");
                }

                @Override
                public void close() {
                    record("close");
                }
            };
        }
    }

    private final class RecordingShuffle implements ShuffleManagerFactory {
        @Override
        public String name() {
            return "recorded";
        }

        @Override
        public ShuffleManager create(Settings settings) {
            record("create");
            return new ShuffleManager() {
                @Override
                public String name() {
                    record("name");
                    return "recorded";
                }

                @Override
                public void close() {
                    record("close");
                }
            };
        }
    }
}
