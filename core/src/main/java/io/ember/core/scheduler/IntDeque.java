package io.ember.core.scheduler;

import java.util.Arrays;

/**
 * A growable ring buffer of ints: the pending task indexes of a task set, without boxing. Not
 * thread-safe (the scheduler thread owns it).
 */
final class IntDeque {

    private int[] items;
    private int head;
    private int size;

    IntDeque() {
        this(8);
    }

    IntDeque(int capacity) {
        items = new int[Math.max(4, Integer.highestOneBit(Math.max(1, capacity) - 1) << 1)];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void addLast(int value) {
        grow();
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    /** The i-th value from the front. */
    int get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return items[(head + i) & (items.length - 1)];
    }

    int peekFirst() {
        return get(0);
    }

    int removeFirst() {
        int value = get(0);
        head = (head + 1) & (items.length - 1);
        size--;
        return value;
    }

    /** Removes the i-th value from the front, shifting the ones before it (cheap near the front). */
    int removeAt(int i) {
        int value = get(i);
        for (int j = i; j > 0; j--) {
            items[(head + j) & (items.length - 1)] = items[(head + j - 1) & (items.length - 1)];
        }
        head = (head + 1) & (items.length - 1);
        size--;
        return value;
    }

    private void grow() {
        if (size < items.length) {
            return;
        }
        int[] bigger = new int[items.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = items[(head + i) & (items.length - 1)];
        }
        items = bigger;
        head = 0;
    }

    @Override
    public String toString() {
        int[] copy = new int[size];
        for (int i = 0; i < size; i++) {
            copy[i] = get(i);
        }
        return Arrays.toString(copy);
    }
}
