package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.Settings;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.List;

/**
 * A plugin's {@link ShuffleManagerFactory} as the host sees it: {@link #create} runs with the
 * plugin's class loader as the thread context class loader and returns a manager wrapped the same
 * way; the metadata answers come from what the factory said at load time. Thread-safe when the
 * delegate is.
 */
final class ClassLoaderSafeShuffleManagerFactory implements ShuffleManagerFactory {

    private final ShuffleManagerFactory delegate;
    private final FactoryMetadata metadata;
    private final ClassLoader classLoader;

    ClassLoaderSafeShuffleManagerFactory(ShuffleManagerFactory delegate, FactoryMetadata metadata, ClassLoader classLoader) {
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
    public ShuffleManager create(Settings settings) {
        ShuffleManager manager;
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            manager = delegate.create(settings);
        } finally {
            ContextClassLoader.restore(previous);
        }
        if (manager == null) {
            throw new IllegalStateException(metadata.label() + " returned null from create()");
        }
        return new ClassLoaderSafeShuffleManager(manager, classLoader);
    }

    @Override
    public String toString() {
        return metadata.label() + " (" + delegate.getClass().getName() + " in " + classLoader + ")";
    }
}
