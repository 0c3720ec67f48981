package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.Threads;
import io.ember.core.rpc.proto.BlockUpdate;
import io.ember.core.rpc.proto.BlockUpdates;
import io.ember.core.rpc.proto.ExecutorMessage;
import io.ember.core.rpc.proto.TaskUpdate;
import io.ember.core.rpc.proto.TaskUpdates;
import io.ember.core.storage.BlockChange;
import io.ember.core.storage.BlockListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches what an executor tells its driver about tasks and blocks. Any thread queues an update
 * ({@link #taskEnded}, {@link #blockChanged}) without waiting; one thread of this sender,
 * {@code ember-task-updates}, takes everything queued, sends it as one {@code BlockUpdates}
 * message (when blocks changed) then one {@code TaskUpdates} message (when tasks ended), and goes
 * back for more. An update queued while the sender is idle goes out at once; updates queued while
 * it is sending go out together in the next batch, so batches grow with the load by themselves,
 * with no timer.
 *
 * <p>Threading: {@code toDriver} is only ever called on the sender's thread, so never concurrently,
 * and never on a thread that queued an update. After {@link #close()} it is not called again (once a
 * call in progress returns).
 */
final class UpdateSender implements BlockListener {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateSender.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final Consumer<ExecutorMessage> toDriver;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    UpdateSender(Consumer<ExecutorMessage> toDriver) {
        this.toDriver = requireNonNull(toDriver, "toDriver is null");
        this.thread = Threads.newThread("ember-task-updates", this::run, true);
    }

    /** Starts the sender's thread; once. */
    void start() {
        thread.start();
    }

    /** Queues a task's final update. Any thread. */
    void taskEnded(TaskUpdate update) {
        queue.add(requireNonNull(update, "update is null"));
    }

    /** Queues a block change. Any thread; never blocks. */
    @Override
    public void blockChanged(BlockChange change) {
        queue.add(BlockUpdate.newBuilder()
                .setDatasetId(change.id().datasetId())
                .setPartition(change.id().partition())
                .setStored(change.stored())
                .setSizeBytes(change.sizeBytes())
                .build());
    }

    /** Stops the sender; what is still queued is not sent. Idempotent. */
    void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;   // closing
            }
            queue.drainTo(batch);
            if (closed) {
                return;
            }
            send(batch);
            batch.clear();
        }
    }

    private void send(List<Object> batch) {
        TaskUpdates.Builder tasks = null;
        BlockUpdates.Builder blocks = null;
        for (Object update : batch) {
            if (update instanceof TaskUpdate task) {
                if (tasks == null) {
                    tasks = TaskUpdates.newBuilder();
                }
                tasks.addUpdates(task);
            } else {
                if (blocks == null) {
                    blocks = BlockUpdates.newBuilder();
                }
                blocks.addUpdates((BlockUpdate) update);
            }
        }
        // Blocks first: a task's update then finds the driver knowing where the blocks it stored are.
        if (blocks != null) {
            deliver(ExecutorMessage.newBuilder().setBlockUpdates(blocks).build(), blocks.getUpdatesCount(), "block");
        }
        if (tasks != null) {
            deliver(ExecutorMessage.newBuilder().setTaskUpdates(tasks).build(), tasks.getUpdatesCount(), "task");
        }
    }

    private void deliver(ExecutorMessage message, int count, String kind) {
        try {
            toDriver.accept(message);
        } catch (RuntimeException e) {
            LOG.warn("Could not send {} {} update(s) to the driver: {}", count, kind, e.toString());
        }
    }

    @Override
    public String toString() {
        return "UpdateSender[" + queue.size() + " queued" + (closed ? ", closed" : "") + "]";
    }
}
