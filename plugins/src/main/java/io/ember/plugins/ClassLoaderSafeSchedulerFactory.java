package io.ember.plugins;

import io.ember.api.config.Settings;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;

/**
 * A plugin's {@link SchedulerFactory} as the host sees it: {@link #create} runs with the plugin's class
 * loader as the thread context class loader and returns a {@link SchedulingPolicy} wrapped the same way.
 * Thread-safe when the delegate is.
 */
final class ClassLoaderSafeSchedulerFactory extends ClassLoaderSafeFactory<SchedulerFactory> implements SchedulerFactory {

    ClassLoaderSafeSchedulerFactory(SchedulerFactory delegate, FactoryMetadata metadata, ClassLoader classLoader) {
        super(delegate, metadata, classLoader);
    }

    @Override
    public SchedulingPolicy create(Settings settings) {
        return new ClassLoaderSafeSchedulingPolicy(create(() -> delegate.create(settings)), classLoader);
    }
}
