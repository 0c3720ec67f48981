package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.BatchQueue;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.storage.BlockChange;
import io.ember.core.storage.BlockListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches what an executor tells its driver about tasks and blocks. Any thread queues an update
 * ({@link #taskEnded}, {@link #blockChanged}) without waiting; the sender's loop,
 * {@code ember-task-updates}, takes everything queued, hands it to its {@link TaskExecutor.Reports}
 * as one list of block changes (when blocks changed) then one list of task reports (when tasks
 * ended), and goes back for more ({@link BatchQueue}). An update queued while the sender is idle goes
 * out at once; updates queued while it is sending go out together in the next batch, so batches
 * grow with the load by themselves, with no timer. (Over a stream, each list is one message: the
 * reports' adapter makes it.)
 *
 * <p>Threading: the reports are only ever called on the sender's loop, so never concurrently, and
 * never on a thread that queued an update. After {@link #close()} they are not called again (once a
 * call in progress returns).
 */
final class UpdateSender implements BlockListener {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateSender.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final TaskExecutor.Reports toDriver;
    private final EventLoop loop;
    /** {@link TaskReport}s and {@link BlockChange}s, in the order they were queued. */
    private final BatchQueue<Object> queue;
    private volatile boolean closed;

    UpdateSender(TaskExecutor.Reports toDriver) {
        this.toDriver = requireNonNull(toDriver, "toDriver is null");
        this.loop = EventLoop.start("ember-task-updates");
        this.queue = BatchQueue.unbounded(loop, this::send);
    }

    /** Queues a task's final report. Any thread. */
    void taskEnded(TaskReport report) {
        queue.offer(requireNonNull(report, "report is null"));
    }

    /** Queues a block change. Any thread; never blocks. */
    @Override
    public void blockChanged(BlockChange change) {
        queue.offer(requireNonNull(change, "change is null"));
    }

    /** Stops the sender; what is still queued is not sent. Idempotent. */
    void close() {
        closed = true;
        loop.shutdownNow(CLOSE_WAIT);
    }

    /** Hands the batch over as two fresh lists (the receiver keeps them): blocks first, then tasks. */
    private void send(List<Object> batch) {
        if (closed) {
            return;
        }
        List<TaskReport> tasks = null;
        List<BlockChange> blocks = null;
        for (Object update : batch) {
            if (update instanceof TaskReport task) {
                if (tasks == null) {
                    tasks = new ArrayList<>(batch.size());
                }
                tasks.add(task);
            } else {
                if (blocks == null) {
                    blocks = new ArrayList<>();
                }
                blocks.add((BlockChange) update);
            }
        }
        // Blocks first: a task's report then finds the driver knowing where the blocks it stored are.
        if (blocks != null) {
            try {
                toDriver.blocksChanged(blocks);
            } catch (RuntimeException e) {
                failed(blocks.size(), "block", e);
            }
        }
        if (tasks != null) {
            try {
                toDriver.tasksEnded(tasks);
            } catch (RuntimeException e) {
                failed(tasks.size(), "task", e);
            }
        }
    }

    private static void failed(int count, String kind, RuntimeException e) {
        LOG.warn("Could not send {} {} update(s) to the driver: {}", count, kind, e.toString());
    }

    @Override
    public String toString() {
        return "UpdateSender[" + queue.waiting() + " queued" + (closed ? ", closed" : "") + "]";
    }
}
