package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ShuffleManager;

/**
 * A plugin's {@link ShuffleManager} called with the plugin's class loader as the thread context
 * class loader, {@link #close()} included. Thread-safe, like the manager it wraps.
 */
final class ClassLoaderSafeShuffleManager implements ShuffleManager {

    private final ShuffleManager delegate;
    private final ClassLoader classLoader;

    ClassLoaderSafeShuffleManager(ShuffleManager delegate, ClassLoader classLoader) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public String name() {
        return ContextClassLoader.call(classLoader, delegate::name);
    }

    @Override
    public void close() {
        ContextClassLoader.run(classLoader, () -> delegate.close());
    }

    @Override
    public String toString() {
        return delegate.getClass().getName() + " in " + classLoader;
    }
}
