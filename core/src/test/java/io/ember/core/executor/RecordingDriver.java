package io.ember.core.executor;

import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.testing.Eventually;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@code toDriver} for a {@link TaskExecutor}: records every message, the task updates by task id,
 * the block updates in order, the threads it was called on, and whether it was ever called by two
 * threads at once. An optional hook runs before the first message is recorded.
 */
final class RecordingDriver implements Consumer<ExecutorMessage> {

    private final List<ExecutorMessage> messages = new CopyOnWriteArrayList<>();
    private final Map<Long, TaskUpdate> taskUpdates = new ConcurrentHashMap<>();
    private final List<BlockUpdate> blockUpdates = new CopyOnWriteArrayList<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private volatile Runnable beforeFirst = () -> { };

    /** Runs {@code hook} (on the sending thread) before the first message is recorded. */
    void beforeFirstMessage(Runnable hook) {
        beforeFirst = hook;
    }

    @Override
    public void accept(ExecutorMessage message) {
        int now = inside.incrementAndGet();
        mostInside.accumulateAndGet(now, Math::max);
        try {
            threads.add(Thread.currentThread().getName());
            if (messages.isEmpty()) {
                beforeFirst.run();
            }
            messages.add(message);
            if (message.hasTaskUpdates()) {
                message.getTaskUpdates().getUpdatesList().forEach(update -> {
                    if (taskUpdates.putIfAbsent(update.getTaskId(), update) != null) {
                        throw new AssertionError("a second update for task " + update.getTaskId());
                    }
                });
            }
            if (message.hasBlockUpdates()) {
                blockUpdates.addAll(message.getBlockUpdates().getUpdatesList());
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    TaskUpdate awaitUpdate(long taskId) {
        return Eventually.awaitValue("the update of task " + taskId + "; have " + taskUpdates.keySet(),
                () -> taskUpdates.get(taskId));
    }

    void awaitUpdates(int count) {
        Eventually.await(() -> taskUpdates.size() >= count, () -> count + " task updates, have " + taskUpdates.size());
    }

    boolean hasUpdate(long taskId) {
        return taskUpdates.containsKey(taskId);
    }

    List<ExecutorMessage> messages() {
        return List.copyOf(messages);
    }

    List<BlockUpdate> blockUpdates() {
        return List.copyOf(blockUpdates);
    }

    Set<String> threads() {
        return Set.copyOf(threads);
    }

    /** The most threads that were inside {@link #accept} at once. */
    int mostConcurrentCalls() {
        return mostInside.get();
    }
}
