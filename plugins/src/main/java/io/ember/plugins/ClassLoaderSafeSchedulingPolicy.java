package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.SchedulingLevel;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.api.scheduler.SchedulingQueue;

/**
 * A plugin's {@link SchedulingPolicy} called with the plugin's class loader as the thread context
 * class loader; the queues it creates are wrapped the same way. Thread-safe when the delegate is.
 */
final class ClassLoaderSafeSchedulingPolicy implements SchedulingPolicy {

    private final SchedulingPolicy delegate;
    private final ClassLoader classLoader;

    ClassLoaderSafeSchedulingPolicy(SchedulingPolicy delegate, ClassLoader classLoader) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public SchedulingQueue createQueue(SchedulingLevel level) {
        SchedulingQueue queue;
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            queue = delegate.createQueue(level);
        } finally {
            ContextClassLoader.restore(previous);
        }
        if (queue == null) {
            throw new IllegalStateException(delegate.getClass().getName() + " returned null from createQueue(" + level + ")");
        }
        return new ClassLoaderSafeSchedulingQueue(queue, classLoader);
    }

    @Override
    public String toString() {
        return delegate.getClass().getName() + " in " + classLoader;
    }
}
