package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationPolicy;

/**
 * A plugin's {@link AllocationPolicy} called with the plugin's class loader as the thread context
 * class loader. Every method is forwarded, the {@code default} ones included, so a policy that
 * overrides an event sees it. The host calls it on one thread at a time, as the API requires.
 */
final class ClassLoaderSafeAllocationPolicy implements AllocationPolicy {

    private final AllocationPolicy delegate;
    private final ClassLoader classLoader;

    ClassLoaderSafeAllocationPolicy(AllocationPolicy delegate, ClassLoader classLoader) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public void start() {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.start();
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void onStageSubmitted(int stageId, int tasks) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.onStageSubmitted(stageId, tasks);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void onStageCompleted(int stageId) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.onStageCompleted(stageId);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void onTaskStart(int stageId, String executorId) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.onTaskStart(stageId, executorId);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void onTaskEnd(int stageId, String executorId) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.onTaskEnd(stageId, executorId);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void onExecutorAdded(String executorId) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.onExecutorAdded(executorId);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void onExecutorRemoved(String executorId) {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.onExecutorRemoved(executorId);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }

    @Override
    public void tick() {
        ClassLoader previous = ContextClassLoader.enter(classLoader);
        try {
            delegate.tick();
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
