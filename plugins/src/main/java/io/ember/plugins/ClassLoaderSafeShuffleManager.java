package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleService;
import io.ember.api.shuffle.ShuffleServiceContext;

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
    public ExecutorShuffle openExecutor(ExecutorShuffleContext context) {
        return new ClassLoaderSafeExecutorShuffle(ContextClassLoader.call(classLoader,
                () -> requireNonNull(delegate.openExecutor(context), "the plugin's openExecutor returned null")),
                classLoader);
    }

    @Override
    public ShuffleService startService(ShuffleServiceContext context) {
        return new ClassLoaderSafeShuffleService(ContextClassLoader.call(classLoader,
                () -> requireNonNull(delegate.startService(context), "the plugin's startService returned null")),
                classLoader);
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
