package io.ember.plugins;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.Settings;

/**
 * A plugin's {@link AllocationPolicyFactory} as the host sees it: {@link #create} runs with the plugin's class
 * loader as the thread context class loader and returns a {@link AllocationPolicy} wrapped the same way.
 * Thread-safe when the delegate is.
 */
final class ClassLoaderSafeAllocationPolicyFactory extends ClassLoaderSafeFactory<AllocationPolicyFactory> implements AllocationPolicyFactory {

    ClassLoaderSafeAllocationPolicyFactory(AllocationPolicyFactory delegate, FactoryMetadata metadata, ClassLoader classLoader) {
        super(delegate, metadata, classLoader);
    }

    @Override
    public AllocationPolicy create(Settings settings, AllocationContext context) {
        return new ClassLoaderSafeAllocationPolicy(create(() -> delegate.create(settings, context)), classLoader);
    }
}
