package io.ember.examples.shortestfirst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.plugin.Plugin;
import io.ember.api.scheduler.SchedulerFactory;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** What the host sees of the plugin: found by {@link ServiceLoader}, its name and its one factory. */
final class ShortestFirstPluginTest {

    @Test
    void isFoundByServiceLoaderWithItsShortestFirstFactory() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertEquals(List.of("shortest-first-scheduler"), plugins.stream().map(Plugin::name).toList());
        assertEquals(List.of("shortest-first"),
                plugins.get(0).schedulerFactories().stream().map(SchedulerFactory::name).toList());
    }

    @Test
    void offersNoOtherKindOfPolicy() {
        Plugin plugin = new ShortestFirstPlugin();

        assertEquals(List.of(), plugin.allocationPolicyFactories());
        assertEquals(List.of(), plugin.shuffleManagerFactories());
    }

    @Test
    void namesFollowTheHostsRules() {
        Plugin plugin = new ShortestFirstPlugin();
        String rule = "[a-z0-9][a-z0-9-]*";

        assertTrue(plugin.name().matches(rule), plugin.name());
        assertTrue(plugin.schedulerFactories().get(0).name().matches(rule));
        String description = plugin.schedulerFactories().get(0).description();
        assertFalse(description.isBlank());
        assertFalse(description.contains("\n"));
    }
}
