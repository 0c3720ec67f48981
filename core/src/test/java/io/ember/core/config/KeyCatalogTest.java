package io.ember.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import io.ember.api.plugin.Plugin;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class KeyCatalogTest {

    private static final ConfigKey<Integer> LIMIT = ConfigKey.intKey("limit").defaultValue(1).doc("A limit.").build();

    @Test
    void listsThePolicyNamesOfEachKindInOrder() {
        KeyCatalog catalog = TestingCatalog.catalog();
        assertEquals(List.of("fair", "fifo"), List.copyOf(catalog.policyNames(PolicyKind.SCHEDULER)));
        assertEquals(List.of("sort"), List.copyOf(catalog.policyNames(PolicyKind.SHUFFLE)));
        assertTrue(catalog.hasPolicy(PolicyKind.ALLOCATION, "static"));
        assertFalse(catalog.hasPolicy(PolicyKind.ALLOCATION, "fair"));
    }

    @Test
    void refusesTheKeysOfAnUnknownPolicyListingTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestingCatalog.catalog().policyKeys(PolicyKind.ALLOCATION, "elastic"));
        assertEquals("no allocation policy named 'elastic'; available: dynamic, static", e.getMessage());
    }

    @Test
    void locatesCoreKeysAndPolicyKeysByTheirFullNames() {
        KeyCatalog catalog = TestingCatalog.catalog();
        assertEquals(EmberKeys.TASK_CPUS, catalog.locate("ember.task.cpus").orElseThrow().key());
        KeyCatalog.Located weight = catalog.locate("ember.scheduler.fair.pool.etl.weight").orElseThrow();
        assertEquals(TestingCatalog.WEIGHT, weight.key());
        assertEquals("pool.etl.weight", weight.relativeName());
        assertEquals(Optional.empty(), catalog.locate("ember.scheduler.fifo.pool.etl.weight"));
        assertEquals(Optional.empty(), catalog.locate("ember.scheduler.fair"));
    }

    @Test
    void mapsFixedKeysOnlyToEnvironmentVariables() {
        KeyCatalog catalog = TestingCatalog.catalog();
        assertEquals("reload.interval",
                catalog.locateEnvironmentVariable("EMBER_SCHEDULER_FAIR_RELOAD_INTERVAL").orElseThrow().relativeName());
        assertEquals("minExecutors",
                catalog.locateEnvironmentVariable("EMBER_ALLOCATION_DYNAMIC_MINEXECUTORS").orElseThrow().relativeName());
        assertFalse(catalog.environmentVariables().stream().anyMatch(v -> v.contains("POOL")));
    }

    @Test
    void refusesAKeyDeclaredTwice() {
        ConfigKey<Integer> again = ConfigKey.intKey("limit").defaultValue(2).doc("Again.").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KeyCatalog(List.of(),
                Map.of(PolicyKind.SHUFFLE, Map.of("sort", List.of(LIMIT, again)))));
        assertEquals("key declared twice: ember.shuffle.sort.limit", e.getMessage());
    }

    @Test
    void refusesACoreKeyOutsideEmbersNamespace() {
        assertThrows(IllegalArgumentException.class, () -> new KeyCatalog(List.of(LIMIT), Map.of()));
    }

    @Test
    void refusesPolicyNamesThatAreNotLowerCaseLettersDigitsAndDashes() {
        for (String name : List.of("Fair", "my_policy", "a.b", "", "-x")) {
            assertThrows(IllegalArgumentException.class,
                    () -> new KeyCatalog(List.of(), Map.of(PolicyKind.SCHEDULER, Map.of(name, List.of()))), name);
        }
    }

    @Test
    void refusesTwoKeysThatShareAnEnvironmentVariable() {
        ConfigKey<Integer> dotted = ConfigKey.intKey("ember.a.b").defaultValue(1).doc("Dotted.").build();
        ConfigKey<Integer> underscored = ConfigKey.intKey("ember.a_b").defaultValue(1).doc("Underscored.").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KeyCatalog(List.of(dotted, underscored), Map.of()));
        assertEquals("ember.a_b and ember.a.b map to the same environment variable EMBER_A_B", e.getMessage());
    }

    @Test
    void collectsEveryPluginsPoliciesByKind() {
        Plugin plugin = new Plugin() {
            @Override
            public String name() {
                return "testing";
            }

            @Override
            public List<SchedulerFactory> schedulerFactories() {
                return List.of(new TestingSchedulerFactory("lottery", List.of(LIMIT)));
            }

            @Override
            public List<AllocationPolicyFactory> allocationPolicyFactories() {
                return List.of(new TestingAllocationFactory("fixed"));
            }
        };
        KeyCatalog catalog = KeyCatalog.fromPlugins(EmberKeys.all(), List.of(plugin));
        assertEquals(List.of(LIMIT), catalog.policyKeys(PolicyKind.SCHEDULER, "lottery"));
        assertEquals(List.of(), catalog.policyKeys(PolicyKind.ALLOCATION, "fixed"));
        assertEquals(List.of(), List.copyOf(catalog.policyNames(PolicyKind.SHUFFLE)));
        assertEquals(EmberKeys.all(), catalog.coreKeys());
    }

    @Test
    void refusesTwoPoliciesOfOneKindWithTheSameName() {
        Plugin plugin = new Plugin() {
            @Override
            public String name() {
                return "twice";
            }

            @Override
            public List<SchedulerFactory> schedulerFactories() {
                return List.of(new TestingSchedulerFactory("fifo", List.of()), new TestingSchedulerFactory("fifo", List.of()));
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyCatalog.fromPlugins(EmberKeys.all(), List.of(plugin)));
        assertEquals("two scheduler policies named 'fifo' (the second from plugin twice)", e.getMessage());
    }

    private record TestingSchedulerFactory(String name, List<ConfigKey<?>> configKeys) implements SchedulerFactory {
        @Override
        public SchedulingPolicy create(Settings settings) {
            throw new UnsupportedOperationException("not needed by these tests");
        }
    }

    private record TestingAllocationFactory(String name) implements AllocationPolicyFactory {
        @Override
        public AllocationPolicy create(Settings settings, AllocationContext context) {
            throw new UnsupportedOperationException("not needed by these tests");
        }
    }
}
