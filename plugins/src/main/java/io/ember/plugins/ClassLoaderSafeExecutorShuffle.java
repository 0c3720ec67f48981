package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleMemory;
import io.ember.api.shuffle.ShuffleReader;
import io.ember.api.shuffle.ShuffleWriter;
import java.util.List;

/**
 * A plugin's {@link ExecutorShuffle} called with the plugin's class loader as the thread context
 * class loader. The writers and readers it returns are the plugin's own objects: they move bytes on
 * the task's thread per record, so they are not wrapped (the hot path stays a plain call).
 * Thread-safe, like the shuffle it wraps.
 */
final class ClassLoaderSafeExecutorShuffle implements ExecutorShuffle {

    private final ExecutorShuffle delegate;
    private final ClassLoader classLoader;

    ClassLoaderSafeExecutorShuffle(ExecutorShuffle delegate, ClassLoader classLoader) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
    }

    @Override
    public BlockLocation location() {
        return ContextClassLoader.call(classLoader, delegate::location);
    }

    @Override
    public boolean outlivesExecutor() {
        return ContextClassLoader.call(classLoader, delegate::outlivesExecutor);
    }

    @Override
    public ShuffleWriter writer(int shuffleId, long mapId, int partitions) {
        return ContextClassLoader.call(classLoader, () -> delegate.writer(shuffleId, mapId, partitions));
    }

    @Override
    public ShuffleWriter writer(int shuffleId, long mapId, int partitions, ShuffleMemory memory) {
        return ContextClassLoader.call(classLoader, () -> delegate.writer(shuffleId, mapId, partitions, memory));
    }

    @Override
    public ShuffleReader reader(List<MapBlock> blocks) {
        return ContextClassLoader.call(classLoader, () -> delegate.reader(blocks));
    }

    @Override
    public ShuffleReader reader(List<MapBlock> blocks, ShuffleMemory memory) {
        return ContextClassLoader.call(classLoader, () -> delegate.reader(blocks, memory));
    }

    @Override
    public void removeShuffle(int shuffleId) {
        ContextClassLoader.run(classLoader, () -> delegate.removeShuffle(shuffleId));
    }

    @Override
    public void removeShuffle(int shuffleId, List<BlockLocation> services) {
        ContextClassLoader.run(classLoader, () -> delegate.removeShuffle(shuffleId, services));
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
