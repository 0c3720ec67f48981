package io.ember.core.memory;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One task attempt's execution memory: what its {@link MemoryConsumer}s hold, drawn from the
 * executor's {@link ExecutorMemory}. When the executor grants a consumer less than it asked for,
 * the task's other consumers are asked to spill, the largest first, before the requester is given
 * what there is (and spills itself). {@link #end} at the task's end releases whatever is left.
 *
 * <p>Threading: thread-safe; consumers are normally used by the task's thread, and a spill runs on
 * the thread whose request caused it.
 */
public final class TaskMemory implements AutoCloseable {

    private final ExecutorMemory executor;
    private final long taskId;
    /** Guarded by this. */
    private final Set<MemoryConsumer> consumers = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Guarded by this. */
    private long spilledBytes;
    /** Guarded by this. */
    private int spills;
    private boolean closed;

    public TaskMemory(ExecutorMemory executor, long taskId) {
        this.executor = requireNonNull(executor, "executor is null");
        this.taskId = taskId;
    }

    /**
     * Grants {@code requester} up to {@code bytes}: from what the executor grants, after asking the
     * task's other consumers to spill when that is less than {@code bytes}.
     */
    synchronized long acquire(MemoryConsumer requester, long bytes) {
        if (closed) {
            throw new IllegalStateException("task " + taskId + " has ended: its memory cannot be acquired");
        }
        long granted = executor.acquireExecution(taskId, bytes);
        if (granted < bytes) {
            List<MemoryConsumer> others = new ArrayList<>(consumers);
            others.remove(requester);
            others.sort(Comparator.comparingLong(MemoryConsumer::used).reversed());
            for (MemoryConsumer other : others) {
                if (granted >= bytes || Thread.currentThread().isInterrupted()) {
                    break;
                }
                if (other.used() == 0) {
                    continue;
                }
                long released = other.spill(bytes - granted);
                if (released > 0) {
                    spills++;
                    spilledBytes += released;
                    granted += executor.acquireExecution(taskId, bytes - granted);
                }
            }
        }
        consumers.add(requester);
        requester.held(granted);
        return granted;
    }

    synchronized void release(MemoryConsumer consumer, long bytes) {
        if (bytes < 0 || bytes > consumer.used()) {
            throw new IllegalArgumentException(consumer + " releases " + bytes + " bytes but holds " + consumer.used());
        }
        consumer.held(-bytes);
        if (!closed) {
            executor.releaseExecution(taskId, bytes);
        }
    }

    /**
     * Counts a spill a consumer made of itself (granted less than it asked for), for the task's figures.
     *
     * @param bytes the memory it released by spilling
     */
    public synchronized void spilled(long bytes) {
        spills++;
        spilledBytes += bytes;
    }

    /** How many spills the task's consumers made (of themselves, or asked by another). */
    public synchronized int spills() {
        return spills;
    }

    /** The memory the task's spills released. */
    public synchronized long spilledBytes() {
        return spilledBytes;
    }

    /** The execution memory the task holds now, over all its consumers. */
    public long held() {
        return executor.executionHeldBy(taskId);
    }

    public long taskId() {
        return taskId;
    }

    /** As {@link #end()}. */
    @Override
    public void close() {
        end();
    }

    /**
     * The task ended: releases what its consumers still hold and stops counting it among the tasks
     * sharing execution memory. Idempotent.
     *
     * @return the bytes still held at the end (0 when every consumer released what it held)
     */
    public synchronized long end() {
        if (closed) {
            return 0;
        }
        closed = true;
        for (MemoryConsumer consumer : consumers) {
            consumer.held(-consumer.used());
        }
        consumers.clear();
        return executor.releaseAllExecution(taskId);
    }

    @Override
    public synchronized String toString() {
        return "TaskMemory[task " + taskId + ", " + consumers.size() + " consumer(s), " + spills + " spill(s)]";
    }
}
