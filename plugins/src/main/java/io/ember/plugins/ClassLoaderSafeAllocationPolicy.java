package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.allocation.AllocationPolicy;
import java.util.Collection;

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
        ContextClassLoader.run(classLoader, () -> delegate.start());
    }

    @Override
    public void onStageSubmitted(int stageId, int tasks) {
        ContextClassLoader.run(classLoader, () -> delegate.onStageSubmitted(stageId, tasks));
    }

    @Override
    public void onStageCompleted(int stageId) {
        ContextClassLoader.run(classLoader, () -> delegate.onStageCompleted(stageId));
    }

    @Override
    public void onTaskStart(int stageId, String executorId) {
        ContextClassLoader.run(classLoader, () -> delegate.onTaskStart(stageId, executorId));
    }

    @Override
    public void onTaskEnd(int stageId, String executorId) {
        ContextClassLoader.run(classLoader, () -> delegate.onTaskEnd(stageId, executorId));
    }

    @Override
    public void onTaskResubmitted(int stageId) {
        ContextClassLoader.run(classLoader, () -> delegate.onTaskResubmitted(stageId));
    }

    @Override
    public void onCachedBlocksChanged(String executorId, boolean holdsCachedBlocks) {
        ContextClassLoader.run(classLoader, () -> delegate.onCachedBlocksChanged(executorId, holdsCachedBlocks));
    }

    @Override
    public void onShuffleOutput(String executorId, int shuffleId) {
        ContextClassLoader.run(classLoader, () -> delegate.onShuffleOutput(executorId, shuffleId));
    }

    @Override
    public void onShuffleActive(int shuffleId, boolean active) {
        ContextClassLoader.run(classLoader, () -> delegate.onShuffleActive(shuffleId, active));
    }

    @Override
    public void onShuffleRemoved(int shuffleId) {
        ContextClassLoader.run(classLoader, () -> delegate.onShuffleRemoved(shuffleId));
    }

    @Override
    public boolean requestTotalExecutors(int total) {
        return ContextClassLoader.call(classLoader, () -> delegate.requestTotalExecutors(total));
    }

    @Override
    public boolean requestExecutors(int count) {
        return ContextClassLoader.call(classLoader, () -> delegate.requestExecutors(count));
    }

    @Override
    public boolean killExecutors(Collection<String> executorIds) {
        return ContextClassLoader.call(classLoader, () -> delegate.killExecutors(executorIds));
    }

    @Override
    public void onExecutorAdded(String executorId) {
        ContextClassLoader.run(classLoader, () -> delegate.onExecutorAdded(executorId));
    }

    @Override
    public void onExecutorRemoved(String executorId) {
        ContextClassLoader.run(classLoader, () -> delegate.onExecutorRemoved(executorId));
    }

    @Override
    public void tick() {
        ContextClassLoader.run(classLoader, () -> delegate.tick());
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
