package io.ember.core.status;

import static java.util.Objects.requireNonNull;

import io.ember.core.scheduler.SchedulerListener;
import java.util.function.Consumer;

/**
 * Turns the scheduler's events into {@link StatusEvent}s for a sink (the status store, the event
 * log). Called on the listener bus's thread; the sink must be thread-safe if others call it too.
 */
public record StatusFeed(Consumer<StatusEvent> sink) implements SchedulerListener {

    public StatusFeed {
        requireNonNull(sink, "sink is null");
    }

    @Override
    public void onJobStart(JobStart event) {
        sink.accept(StatusEvent.of(event));
    }

    @Override
    public void onJobEnd(JobEnd event) {
        sink.accept(StatusEvent.of(event));
    }

    @Override
    public void onStageSubmitted(StageSubmitted event) {
        sink.accept(StatusEvent.of(event));
    }

    @Override
    public void onStageCompleted(StageCompleted event) {
        sink.accept(StatusEvent.of(event));
    }

    @Override
    public void onTaskStart(TaskStart event) {
        sink.accept(StatusEvent.of(event));
    }

    @Override
    public void onTaskEnd(TaskEnd event) {
        sink.accept(StatusEvent.of(event));
    }

    @Override
    public void onBlocksUpdated(BlocksUpdated event) {
        sink.accept(StatusEvent.of(event));
    }

    @Override
    public void onDatasetUnpersisted(DatasetUnpersisted event) {
        sink.accept(StatusEvent.of(event));
    }

    @Override
    public void onCachedBlocks(CachedBlocks event) {
        sink.accept(StatusEvent.of(event));
    }
}
