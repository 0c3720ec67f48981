package io.ember.core.driver.endpoint;

import java.util.Arrays;

/**
 * A set of task ids without boxing (open addressing, linear probing, deletion by shifting back),
 * so that remembering each launched task costs no allocation once the table has grown to the
 * executor's load.
 *
 * <p>Not thread-safe: its owner guards it.
 */
final class TaskIdSet {

    /** Task ids are never negative, so this marks an empty slot. */
    private static final long EMPTY = -1;

    private long[] slots = emptyTable(16);
    private int size;

    /** @return whether it was added (not held already) */
    boolean add(long taskId) {
        if (taskId < 0) {
            throw new IllegalArgumentException("taskId must be >= 0: " + taskId);
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = home(taskId, mask); ; i = (i + 1) & mask) {
            if (slots[i] == taskId) {
                return false;
            }
            if (slots[i] == EMPTY) {
                slots[i] = taskId;
                size++;
                return true;
            }
        }
    }

    boolean contains(long taskId) {
        return taskId >= 0 && find(taskId) >= 0;
    }

    /** @return whether it was held */
    boolean remove(long taskId) {
        if (taskId < 0) {
            return false;
        }
        int hole = find(taskId);
        if (hole < 0) {
            return false;
        }
        int mask = slots.length - 1;
        // Shift back every later id of the probe run that may move into the hole, so lookups still find them.
        for (int i = (hole + 1) & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
            int home = home(slots[i], mask);
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                slots[hole] = slots[i];
                hole = i;
            }
        }
        slots[hole] = EMPTY;
        size--;
        return true;
    }

    int size() {
        return size;
    }

    private int find(long taskId) {
        int mask = slots.length - 1;
        for (int i = home(taskId, mask); slots[i] != EMPTY; i = (i + 1) & mask) {
            if (slots[i] == taskId) {
                return i;
            }
        }
        return -1;
    }

    private void grow() {
        long[] old = slots;
        slots = emptyTable(old.length * 2);
        size = 0;
        for (long taskId : old) {
            if (taskId != EMPTY) {
                add(taskId);
            }
        }
    }

    private static int home(long taskId, int mask) {
        return (int) ((taskId * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    private static long[] emptyTable(int length) {
        long[] table = new long[length];
        Arrays.fill(table, EMPTY);
        return table;
    }
}
