package io.ember.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.config.Settings;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.core.allocation.StaticAllocationFactory;
import io.ember.core.config.ConfigException;
import io.ember.core.config.EmberKeys;
import io.ember.plugins.PluginRefusal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class PolicySelectorTest {

    private final SchedulerFactory fifo = scheduler("fifo");
    private final SchedulerFactory fair = scheduler("fair");
    private final AllocationPolicyFactory staticAllocation = new StaticAllocationFactory();
    private final ShuffleManagerFactory sort = shuffle("sort");

    @Test
    void picksEachKindByItsConfiguredName() {
        SelectedPolicies selected = selector(Map.of("ember.scheduler", "fair"), List.of())
                .select(Map.of("fifo", fifo, "fair", fair), Map.of("static", staticAllocation), Map.of("sort", sort));

        assertSame(fair, selected.scheduler());
        assertSame(staticAllocation, selected.allocation());
        assertSame(sort, selected.shuffle());
    }

    @Test
    void reportsEveryMissingKindWithAvailableNamesAndRefusals() {
        PluginRefusal refusal = new PluginRefusal("scheduler-fair", "/opt/ember/plugins/scheduler-fair", "built against API 2.0");
        PolicySelector selector = selector(Map.of("ember.scheduler", "fair", "ember.shuffle", "tungsten"), List.of(refusal));

        ConfigException e = assertThrows(ConfigException.class,
                () -> selector.select(Map.of("fifo", fifo), Map.of("static", staticAllocation), Map.of("sort", sort)));

        assertEquals(2, e.problems().size(), e.getMessage());
        String scheduler = e.problems().get(0).message();
        assertEquals("ember.scheduler", e.problems().get(0).key());
        assertTrue(scheduler.contains("no scheduler policy named 'fair'"), scheduler);
        assertTrue(scheduler.contains("available: fifo"), scheduler);
        assertTrue(scheduler.contains("built against API 2.0"), scheduler);
        assertTrue(e.problems().get(1).message().contains("no shuffle policy named 'tungsten'"));
    }

    private static PolicySelector selector(Map<String, String> values, List<PluginRefusal> refusals) {
        Settings settings = DeclaredSettings.of(EmberKeys.all(), values);
        return new PolicySelector(settings, refusals);
    }

    private static SchedulerFactory scheduler(String name) {
        return new SchedulerFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SchedulingPolicy create(Settings settings) {
                throw new UnsupportedOperationException("not created in this test");
            }
        };
    }

    private static ShuffleManagerFactory shuffle(String name) {
        return new ShuffleManagerFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ShuffleManager create(Settings settings) {
                return () -> name;
            }
        };
    }
}
