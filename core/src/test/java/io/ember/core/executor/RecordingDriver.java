package io.ember.core.executor;

import io.ember.core.storage.BlockChange;
import io.ember.core.testing.Eventually;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link TaskExecutor.Reports} of a task executor under test: records every batch, the task
 * reports by task id, the block changes in order, the threads it was called on, and whether it was
 * ever called by two threads at once. An optional hook runs before the first batch is recorded.
 */
final class RecordingDriver implements TaskExecutor.Reports {

    private final List<List<?>> batches = new CopyOnWriteArrayList<>();
    private final Map<Long, TaskReport> reports = new ConcurrentHashMap<>();
    private final List<BlockChange> blockChanges = new CopyOnWriteArrayList<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private volatile Runnable beforeFirst = () -> { };

    /** Runs {@code hook} (on the sending thread) before the first batch is recorded. */
    void beforeFirstBatch(Runnable hook) {
        beforeFirst = hook;
    }

    @Override
    public void tasksEnded(List<TaskReport> ended) {
        record(ended, () -> ended.forEach(report -> {
            if (reports.putIfAbsent(report.taskId(), report) != null) {
                throw new AssertionError("a second report for task " + report.taskId());
            }
        }));
    }

    @Override
    public void blocksChanged(List<BlockChange> changes) {
        record(changes, () -> blockChanges.addAll(changes));
    }

    private void record(List<?> batch, Runnable recording) {
        int now = inside.incrementAndGet();
        mostInside.accumulateAndGet(now, Math::max);
        try {
            threads.add(Thread.currentThread().getName());
            if (batches.isEmpty()) {
                beforeFirst.run();
            }
            batches.add(batch);
            recording.run();
        } finally {
            inside.decrementAndGet();
        }
    }

    TaskReport awaitReport(long taskId) {
        return Eventually.awaitValue("the report of task " + taskId + "; have " + reports.keySet(),
                () -> reports.get(taskId));
    }

    void awaitReports(int count) {
        Eventually.await(() -> reports.size() >= count, () -> count + " task reports, have " + reports.size());
    }

    boolean hasReport(long taskId) {
        return reports.containsKey(taskId);
    }

    /** Every batch of task reports or block changes, in the order they came. */
    List<List<?>> batches() {
        return List.copyOf(batches);
    }

    List<BlockChange> blockChanges() {
        return List.copyOf(blockChanges);
    }

    Set<String> threads() {
        return Set.copyOf(threads);
    }

    /** The most threads that were inside a call at once. */
    int mostConcurrentCalls() {
        return mostInside.get();
    }
}
