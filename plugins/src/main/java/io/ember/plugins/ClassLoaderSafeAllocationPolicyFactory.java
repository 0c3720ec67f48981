package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationContext;
import io.ember.api.allocation.AllocationPolicy;
import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import java.util.List;

/**
 * A plugin's {@link AllocationPolicyFactory} as the host sees it: {@link #create} runs with the
 * plugin's class loader as the thread context class loader and returns a policy wrapped the same
 * way; the metadata answers come from what the factory said at load time. Thread-safe when the
 * delegate is.
 */
final class ClassLoaderSafeAllocationPolicyFactory implements AllocationPolicyFactory {

    private final AllocationPolicyFactory delegate;
    private final FactoryMetadata metadata;
    private final ClassLoader classLoader;

    ClassLoaderSafeAllocationPolicyFactory(AllocationPolicyFactory delegate, FactoryMetadata metadata, ClassLoader classLoader) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public String name() {
        return metadata.name();
    }

    @Override
    public String description() {
        return metadata.description();
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return metadata.configKeys();
    }

    @Override
    public AllocationPolicy create(Settings settings, AllocationContext context) {
        AllocationPolicy policy;
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            policy = delegate.create(settings, context);
        } finally {
            ContextClassLoader.restore(previous);
        }
        if (policy == null) {
            throw new IllegalStateException(metadata.label() + " returned null from create()");
        }
        return new ClassLoaderSafeAllocationPolicy(policy, classLoader);
    }

    @Override
    public String toString() {
        return metadata.label() + " (" + delegate.getClass().getName() + " in " + classLoader + ")";
    }
}
