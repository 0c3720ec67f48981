package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ShuffleService;
import java.util.Set;

/**
 * A plugin's {@link ShuffleService} called with the plugin's class loader as the thread context
 * class loader. Thread-safe, like the service it wraps.
 */
final class ClassLoaderSafeShuffleService implements ShuffleService {

    private final ShuffleService delegate;
    private final ClassLoader classLoader;

    ClassLoaderSafeShuffleService(ShuffleService delegate, ClassLoader classLoader) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public int port() {
        return ContextClassLoader.call(classLoader, delegate::port);
    }

    @Override
    public void applicationRemoved(String applicationId) {
        ContextClassLoader.run(classLoader, () -> delegate.applicationRemoved(applicationId));
    }

    @Override
    public Set<String> applications() {
        return ContextClassLoader.call(classLoader, delegate::applications);
    }

    @Override
    public void close() {
        ContextClassLoader.run(classLoader, delegate::close);
    }

    @Override
    public String toString() {
        return delegate + " in " + classLoader;
    }
}
