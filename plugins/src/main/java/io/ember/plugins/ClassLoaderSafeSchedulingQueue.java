package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.scheduler.GroupStatus;
import io.ember.api.scheduler.Schedulable;
import io.ember.api.scheduler.SchedulingQueue;
import java.util.List;
import java.util.function.Predicate;

/**
 * A plugin's {@link SchedulingQueue} called with the plugin's class loader as the thread context
 * class loader. On the hot path: allocates nothing per call and leaves the thread alone when its
 * context class loader is already the plugin's. Confined to one thread, like the queue it wraps.
 */
final class ClassLoaderSafeSchedulingQueue implements SchedulingQueue {

    private final SchedulingQueue delegate;
    private final ClassLoader classLoader;

    ClassLoaderSafeSchedulingQueue(SchedulingQueue delegate, ClassLoader classLoader) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public void add(Schedulable item) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.add(item);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void remove(Schedulable item) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.remove(item);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void update(Schedulable item) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.update(item);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public Schedulable offer(Predicate<? super Schedulable> accepts) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            return delegate.offer(accepts);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public Schedulable next() {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            return delegate.next();
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public List<GroupStatus> groups() {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            return delegate.groups();
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public String toString() {
        return delegate.getClass().getName() + " in " + classLoader;
    }
}
