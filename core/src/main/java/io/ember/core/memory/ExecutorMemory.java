package io.ember.core.memory;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;

/**
 * One executor's memory budget, shared by <em>execution</em> (the buffers tasks sort, aggregate and
 * fetch into) and <em>storage</em> (cached blocks). The rules, written down in {@code docs/memory.md}:
 *
 * <ul>
 *   <li><b>One budget.</b> Execution and storage together never hold more than {@link #total()}.
 *   <li><b>Storage borrows.</b> Storage may take whatever execution does not hold now.
 *   <li><b>Execution evicts.</b> When execution needs memory storage holds, cached blocks are dropped
 *       ({@link StorageEvictor}) until storage holds no more than its protected part,
 *       {@link #storageProtected()}; blocks within it are never dropped for execution. Storage never
 *       takes memory execution holds.
 *   <li><b>Fair shares.</b> With N tasks holding or asking for execution memory, a task is granted
 *       at most 1/N of what execution may use (the budget less the protected storage in use), and a
 *       task that would hold less than 1/(2N) of it waits until other tasks release memory rather
 *       than being granted a crumb; a task that holds 1/(2N) or more is granted what is free (maybe
 *       less than asked: its consumer then spills).
 * </ul>
 *
 * <p>Execution memory is counted per task, by task id; {@link #releaseAllExecution} at a task's end
 * returns what it still held, and from then on the task no longer counts among the N.
 *
 * <p>Thread-safe. {@link #acquireExecution} may block (waiting for its fair minimum) and calls the
 * evictor without holding this object's lock, so the evictor may call {@link #releaseStorage} under
 * a lock of its own; nothing here calls out while holding this object's lock.
 */
public final class ExecutorMemory {

    /** Drops cached blocks so that execution can have their memory. */
    @FunctionalInterface
    public interface StorageEvictor {

        /** Drops nothing: storage holds no blocks that can be dropped. */
        StorageEvictor NONE = bytes -> 0;

        /**
         * Drops cached blocks worth about {@code bytes} (least recently used first), releasing each
         * through {@link ExecutorMemory#releaseStorage}; returns the bytes released, 0 when none can be.
         * Called on the thread of the task that needs the memory, holding no lock of the memory's.
         */
        long evict(long bytes);
    }

    /** How long a task waiting for its fair minimum sleeps before it looks at storage again. */
    private static final long WAIT_SLICE_MILLIS = 1_000;

    private final long total;
    private final long storageProtected;
    /** Execution memory held by each task that holds or asked for some; guarded by this. */
    private final Map<Long, Long> executionByTask = new HashMap<>();
    private long executionUsed;
    private long storageUsed;
    /** The most execution and storage held together, ever; guarded by this. */
    private long peakUsed;
    private volatile StorageEvictor evictor = StorageEvictor.NONE;

    /**
     * @param total the budget, in bytes
     * @param storageProtected the storage that execution cannot evict, in bytes, at most {@code total}
     */
    public ExecutorMemory(long total, long storageProtected) {
        if (total < 0 || storageProtected < 0 || storageProtected > total) {
            throw new IllegalArgumentException("need 0 <= storageProtected <= total: total " + total
                    + ", storageProtected " + storageProtected);
        }
        this.total = total;
        this.storageProtected = storageProtected;
    }

    /** The budget {@code settings} give on a heap of {@code heapBytes}. */
    public static ExecutorMemory of(MemorySettings settings, long heapBytes) {
        long total = settings.budget(heapBytes);
        return new ExecutorMemory(total, (long) (total * settings.storageFraction()));
    }

    /** Who drops cached blocks when execution needs their memory; set once the block store exists. */
    public void evictStorageWith(StorageEvictor storageEvictor) {
        this.evictor = requireNonNull(storageEvictor, "storageEvictor is null");
    }

    // ---- execution ------------------------------------------------------------------------------

    /**
     * Grants task {@code taskId} up to {@code bytes} of execution memory, by the fair-share rules:
     * possibly less (then the caller spills), possibly after dropping cached blocks, possibly after
     * waiting for other tasks to release memory. An interrupted wait (the task is being killed)
     * returns 0 with the thread's interrupt flag set.
     *
     * @return the bytes granted, from 0 to {@code bytes}
     */
    public long acquireExecution(long taskId, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        boolean triedEviction = false;
        while (true) {
            long toEvict;
            synchronized (this) {
                if (executionByTask.putIfAbsent(taskId, 0L) == null) {
                    notifyAll();   // one more task: the others' shares shrink
                }
                if (bytes == 0) {
                    return 0;
                }
                int tasks = executionByTask.size();
                long held = executionByTask.get(taskId);
                long executionCapacity = total - Math.min(storageUsed, storageProtected);
                long maxForTask = executionCapacity / tasks;
                long minForTask = executionCapacity / (2L * tasks);
                long wanted = Math.max(0, Math.min(bytes, maxForTask - held));
                long free = total - executionUsed - storageUsed;
                long evictable = Math.max(0, storageUsed - storageProtected);
                if (wanted > free && evictable > 0 && !triedEviction) {
                    toEvict = Math.min(wanted - free, evictable);
                } else {
                    long grant = Math.min(wanted, free);
                    if (grant < bytes && held + grant < minForTask) {
                        try {
                            // for its fair minimum: another task releases or ends (woken then), or
                            // storage could be evicted again (looked at again after a slice)
                            wait(WAIT_SLICE_MILLIS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return 0;
                        }
                        triedEviction = false;
                        continue;
                    }
                    executionByTask.put(taskId, held + grant);
                    executionUsed += grant;
                    peakUsed = Math.max(peakUsed, executionUsed + storageUsed);
                    return grant;
                }
            }
            evictor.evict(toEvict);   // outside the lock: the evictor releases storage under its own
            triedEviction = true;
        }
    }

    /** Task {@code taskId} gives back {@code bytes} of its execution memory. */
    public synchronized void releaseExecution(long taskId, long bytes) {
        Long held = executionByTask.get(taskId);
        if (bytes < 0 || held == null || bytes > held) {
            throw new IllegalArgumentException("task " + taskId + " releases " + bytes + " bytes of execution memory "
                    + "but holds " + (held == null ? 0 : held));
        }
        executionByTask.put(taskId, held - bytes);
        executionUsed -= bytes;
        notifyAll();
    }

    /**
     * Task {@code taskId} ended: whatever execution memory it still held is released and it no longer
     * counts among the tasks sharing execution memory.
     *
     * @return the bytes it still held (a consumer that did not release: the caller may warn)
     */
    public synchronized long releaseAllExecution(long taskId) {
        Long held = executionByTask.remove(taskId);
        if (held == null) {
            return 0;
        }
        executionUsed -= held;
        notifyAll();
        return held;
    }

    /** Execution memory task {@code taskId} holds now. */
    public synchronized long executionHeldBy(long taskId) {
        return executionByTask.getOrDefault(taskId, 0L);
    }

    // ---- storage --------------------------------------------------------------------------------

    /**
     * Grants {@code bytes} of storage when they are free now (storage never takes what execution
     * holds); when they are not, nothing is granted and the block store may drop blocks of its own
     * and ask again.
     */
    public synchronized boolean acquireStorage(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        if (bytes > total - executionUsed - storageUsed) {
            return false;
        }
        storageUsed += bytes;
        peakUsed = Math.max(peakUsed, executionUsed + storageUsed);
        return true;
    }

    /** Storage gives back {@code bytes} (a block was dropped). */
    public synchronized void releaseStorage(long bytes) {
        if (bytes < 0 || bytes > storageUsed) {
            throw new IllegalArgumentException("releasing " + bytes + " bytes of storage, which holds " + storageUsed);
        }
        storageUsed -= bytes;
        notifyAll();
    }

    /** The most storage could hold now: the budget less what execution holds. */
    public synchronized long storageLimit() {
        return total - executionUsed;
    }

    // ---- figures --------------------------------------------------------------------------------

    /** The budget. */
    public long total() {
        return total;
    }

    /** The storage execution cannot evict. */
    public long storageProtected() {
        return storageProtected;
    }

    public synchronized long executionUsed() {
        return executionUsed;
    }

    public synchronized long storageUsed() {
        return storageUsed;
    }

    /** The most execution and storage held together since this budget was made; never above {@link #total()}. */
    public synchronized long peakUsed() {
        return peakUsed;
    }

    /** How many tasks hold or asked for execution memory and have not ended. */
    public synchronized int tasks() {
        return executionByTask.size();
    }

    @Override
    public synchronized String toString() {
        return "ExecutorMemory[execution " + executionUsed + " by " + executionByTask.size() + " task(s), storage "
                + storageUsed + " (" + storageProtected + " protected), of " + total + " bytes]";
    }
}
