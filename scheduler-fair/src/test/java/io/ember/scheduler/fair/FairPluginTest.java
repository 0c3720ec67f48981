package io.ember.scheduler.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ember.api.plugin.Plugin;
import io.ember.api.scheduler.SchedulerFactory;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class FairPluginTest {

    @Test
    void isFoundByServiceLoaderWithItsFairFactory() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();

        assertEquals(List.of("scheduler-fair"), plugins.stream().map(Plugin::name).toList());
        assertEquals(List.of("fair"), plugins.get(0).schedulerFactories().stream().map(SchedulerFactory::name).toList());
    }

    @Test
    void factoryDescribesItselfOnOneLine() {
        String description = new FairSchedulerFactory().description();

        assertFalse(description.isBlank());
        assertFalse(description.contains("\n"));
    }
}
