package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.plugin.Plugin;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class SortShufflePluginTest {

    @Test
    void serviceLoaderFindsThePlugin() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, plugins.size(), plugins.toString());
        assertInstanceOf(SortShufflePlugin.class, plugins.get(0));
        assertEquals("shuffle-service", plugins.get(0).name());
    }

    @Test
    void offersOnlyTheSortShuffle() {
        Plugin plugin = new SortShufflePlugin();
        List<ShuffleManagerFactory> factories = plugin.shuffleManagerFactories();
        assertEquals(List.of("sort"), factories.stream().map(ShuffleManagerFactory::name).toList());
        assertEquals(SortShuffleSettings.KEYS, factories.get(0).configKeys());
        assertEquals(List.of(), plugin.schedulerFactories());
        assertEquals(List.of(), plugin.allocationPolicyFactories());
    }

    @Test
    void createsASortManagerHoldingItsSettings() {
        ShuffleManagerFactory factory = new SortShuffleManagerFactory();
        ShuffleManager manager = factory.create(DeclaredSettings.of(factory.configKeys(), Map.of("maxBytesInFlight", "2m")));
        assertEquals("sort", manager.name());
        SortShuffleManager sort = assertInstanceOf(SortShuffleManager.class, manager);
        assertEquals(2L << 20, sort.settings().maxBytesInFlight());
        assertEquals(ChecksumAlgorithm.CRC32C, sort.settings().checksumAlgorithm());
        manager.close();
        manager.close();
    }
}
