package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.scheduler.ShuffleActivity;

/**
 * Turns what the task scheduler and the stage planner report into the allocation policy's events:
 * a stage is submitted (each submission has its own stage id) and completes, its tasks start and end on
 * executors, a task that ended without a result ({@code FAILED}, {@code LOST}) is pending again
 * unless its job ends, and executors' cached blocks and self-served shuffle output are passed on.
 *
 * <p>Thread-safe: it only queues events on the {@link AllocationLoop}.
 */
final class AllocationFeed implements SchedulerListener, ShuffleActivity {

    private final AllocationLoop loop;

    AllocationFeed(AllocationLoop loop) {
        this.loop = requireNonNull(loop, "loop is null");
    }

    @Override
    public void onStageSubmitted(StageSubmitted event) {
        loop.deliver("onStageSubmitted", p -> p.onStageSubmitted(event.stageId().value(), event.tasks()));
    }

    @Override
    public void onStageCompleted(StageCompleted event) {
        loop.deliver("onStageCompleted", p -> p.onStageCompleted(event.stageId().value()));
    }

    @Override
    public void onTaskStart(TaskStart event) {
        loop.deliver("onTaskStart", p -> p.onTaskStart(event.stageId().value(), event.executorId()));
    }

    @Override
    public void onTaskEnd(TaskEnd event) {
        boolean again = event.outcome() == Outcome.FAILED || event.outcome() == Outcome.LOST;
        loop.deliver("onTaskEnd", p -> {
            p.onTaskEnd(event.stageId().value(), event.executorId());
            if (again) {
                p.onTaskResubmitted(event.stageId().value());
            }
        });
    }

    @Override
    public void onCachedBlocks(CachedBlocks event) {
        loop.deliver("onCachedBlocksChanged", p -> p.onCachedBlocksChanged(event.executorId(), event.holdsBlocks()));
    }

    @Override
    public void shuffleActive(int shuffleId, boolean active) {
        loop.deliver("onShuffleActive", p -> p.onShuffleActive(shuffleId, active));
    }

    @Override
    public void executorOutput(String executorId, int shuffleId) {
        loop.deliver("onShuffleOutput", p -> p.onShuffleOutput(executorId, shuffleId));
    }

    @Override
    public void shuffleRemoved(int shuffleId) {
        loop.deliver("onShuffleRemoved", p -> p.onShuffleRemoved(shuffleId));
    }
}
