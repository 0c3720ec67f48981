package io.ember.allocation.dynamic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.plugin.Plugin;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class DynamicAllocationPluginTest {

    @Test
    void serviceLoaderFindsThePlugin() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, plugins.size(), plugins.toString());
        assertInstanceOf(DynamicAllocationPlugin.class, plugins.get(0));
        assertEquals("allocation-dynamic", plugins.get(0).name());
    }

    @Test
    void offersOnlyTheDynamicAllocationFactory() {
        Plugin plugin = new DynamicAllocationPlugin();
        List<AllocationPolicyFactory> factories = plugin.allocationPolicyFactories();
        assertEquals(List.of("dynamic"), factories.stream().map(AllocationPolicyFactory::name).toList());
        assertEquals(DynamicAllocationSettings.KEYS, factories.get(0).configKeys());
        assertEquals(List.of(), plugin.schedulerFactories());
        assertEquals(List.of(), plugin.shuffleManagerFactories());
    }
}
