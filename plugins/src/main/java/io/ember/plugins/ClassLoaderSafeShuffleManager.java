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
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            return delegate.name();
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void close() {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.close();
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public String toString() {
        return delegate.getClass().getName() + " in " + classLoader;
    }
}
