package io.ember.core.concurrent;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A queue that any thread adds to without waiting and that an {@link EventLoop} empties in batches:
 * the first item added to an idle queue queues one drain on the loop, which takes everything added
 * so far and hands it over as one list; items added while that list is being handled go together
 * into the next one. Batches therefore grow with the load by themselves, with no timer, and a quiet
 * queue costs nothing. The executor's updates to its driver and the scheduler's events to its
 * listeners go through one.
 *
 * <p>Threading: {@link #offer} is thread-safe and never blocks; the consumer runs only on the loop,
 * in the order items were added, and never concurrently with itself. What the loop does when it is
 * stopped (run or drop the drains already queued) is the loop's {@link EventLoop#shutdown} or
 * {@link EventLoop#shutdownNow}; after that, items are refused.
 *
 * @param <T> the items
 */
public final class BatchQueue<T> {

    private final EventLoop loop;
    private final BlockingQueue<T> items;
    private final Consumer<List<T>> consumer;
    /** Whether a drain is queued on the loop and has not yet started taking items. */
    private final AtomicBoolean drainQueued = new AtomicBoolean();

    private BatchQueue(EventLoop loop, BlockingQueue<T> items, Consumer<List<T>> consumer) {
        this.loop = requireNonNull(loop, "loop is null");
        this.items = items;
        this.consumer = requireNonNull(consumer, "consumer is null");
    }

    /** A queue of unbounded length whose batches {@code consumer} handles on {@code loop}. */
    public static <T> BatchQueue<T> unbounded(EventLoop loop, Consumer<List<T>> consumer) {
        return new BatchQueue<>(loop, new LinkedBlockingQueue<>(), consumer);
    }

    /** A queue that refuses items while {@code capacity} wait (for a consumer that may fall behind). */
    public static <T> BatchQueue<T> bounded(EventLoop loop, int capacity, Consumer<List<T>> consumer) {
        return new BatchQueue<>(loop, new ArrayBlockingQueue<>(capacity), consumer);
    }

    /**
     * Adds an item, to be handed to the consumer on the loop.
     *
     * @return false when it was refused: the queue is full, or the loop is stopped
     */
    public boolean offer(T item) {
        requireNonNull(item, "item is null");
        // A drain queued before the loop stopped may have been dropped with it: nothing would take the item.
        if (loop.isStopped() || !items.offer(item)) {
            return false;
        }
        if (drainQueued.compareAndSet(false, true) && !loop.offer(this::drain)) {
            drainQueued.set(false);
            items.remove(item);
            return false;
        }
        return true;
    }

    /** How many items wait for the next batch (for tests and status lines). */
    public int waiting() {
        return items.size();
    }

    private void drain() {
        // Cleared before taking, so an item added from here on queues the next drain itself.
        drainQueued.set(false);
        List<T> batch = new ArrayList<>(Math.max(items.size(), 1));
        items.drainTo(batch);
        if (!batch.isEmpty()) {
            consumer.accept(batch);
        }
    }
}
