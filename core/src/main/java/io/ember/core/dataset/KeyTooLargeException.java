package io.ember.core.dataset;

import io.ember.core.task.TaskNotRetryableException;
import java.util.Locale;

/**
 * Thrown in a reduce task when the values of one key, merged from the task's spill files, do not fit
 * in the memory the task can get: groupByKey and cogroup (and any aggregation whose combiner is a
 * collection) hold one key's values at once. Running the task again cannot cure it, so the job fails
 * at once, with the key and the sizes, instead of the executor running out of heap.
 */
final class KeyTooLargeException extends TaskNotRetryableException {

    private static final long serialVersionUID = 1L;
    /** How much of a key's text the message shows. */
    private static final int KEY_CHARS = 100;

    /**
     * @param key the key whose values do not fit
     * @param bytes their estimated size, merged so far
     * @param available the memory the task could get
     */
    KeyTooLargeException(Object key, long bytes, long available) {
        super("the values of key " + shown(key) + " take at least " + mebibytes(bytes) + " in memory once merged, "
                + "more than the " + mebibytes(available) + " this task could get: "
                + "groupByKey and cogroup hold all the values of one key in memory at once; spread the key over "
                + "several (append a random suffix, then combine the parts) or combine its values with reduceByKey "
                + "or aggregateByKey, or give executors more memory (ember.executor.memory, ember.memory.fraction)");
    }

    private static String shown(Object key) {
        String text = String.valueOf(key);
        return "'" + (text.length() <= KEY_CHARS ? text : text.substring(0, KEY_CHARS) + "...") + "'";
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
