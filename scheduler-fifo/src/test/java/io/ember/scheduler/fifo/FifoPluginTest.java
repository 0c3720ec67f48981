package io.ember.scheduler.fifo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.ember.api.config.DeclaredSettings;
import io.ember.api.plugin.Plugin;
import io.ember.api.scheduler.SchedulerFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class FifoPluginTest {

    @Test
    void isFoundByServiceLoaderWithItsFifoFactory() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertEquals(List.of("scheduler-fifo"), plugins.stream().map(Plugin::name).toList());
        assertEquals(List.of("fifo"), plugins.get(0).schedulerFactories().stream().map(SchedulerFactory::name).toList());
    }

    @Test
    void factoryDeclaresNoKeysAndDescribesItself() {
        FifoSchedulerFactory factory = new FifoSchedulerFactory();

        assertEquals(List.of(), factory.configKeys());
        assertFalse(factory.description().isBlank());
        assertFalse(factory.description().contains("\n"));
        assertInstanceOf(FifoSchedulingPolicy.class, factory.create(DeclaredSettings.of(List.of(), Map.of())));
    }
}
