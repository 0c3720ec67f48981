package io.ember.core.job;

/**
 * The id of a job: what one action (a {@code count}, a {@code collect}, ...) becomes. Unique within
 * an application, in the order actions were called; under FIFO a lower id runs first.
 *
 * @param value 0 for the application's first job
 */
public record JobId(int value) implements Comparable<JobId> {

    public JobId {
        if (value < 0) {
            throw new IllegalArgumentException("a job id must be >= 0: " + value);
        }
    }

    @Override
    public int compareTo(JobId other) {
        return Integer.compare(value, other.value);
    }

    /** {@code job 3}, as log lines say it. */
    @Override
    public String toString() {
        return "job " + value;
    }
}
