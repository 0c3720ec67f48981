package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.PolicyFactory;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the host's wrappers of every kind of policy factory share: the metadata answers come from
 * what the factory said at load time (never calling plugin code again), and {@code create} runs with
 * the plugin's class loader as the thread context class loader, refusing a null policy.
 *
 * @param <F> the factory interface wrapped
 */
abstract class ClassLoaderSafeFactory<F extends PolicyFactory> implements PolicyFactory {

    final F delegate;
    final ClassLoader classLoader;
    private final FactoryMetadata metadata;

    ClassLoaderSafeFactory(F delegate, FactoryMetadata metadata, ClassLoader classLoader) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public final String name() {
        return metadata.name();
    }

    @Override
    public final String description() {
        return metadata.description();
    }

    @Override
    public final List<ConfigKey<?>> configKeys() {
        return metadata.configKeys();
    }

    /** Runs the delegate's {@code create} under the plugin's class loader; a null result is a plugin bug. */
    final <P> P create(Supplier<P> creation) {
        P policy = ContextClassLoader.call(classLoader, creation);
        if (policy == null) {
            throw new IllegalStateException(metadata.label() + " returned null from create()");
        }
        return policy;
    }

    @Override
    public final String toString() {
        return metadata.label() + " (" + delegate.getClass().getName() + " in " + classLoader + ")";
    }
}
