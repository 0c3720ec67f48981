package io.ember.core.job;

/**
 * The id of a stage: the tasks of one job that run the same code, ending at a shuffle boundary or
 * at the job's result. Unique within an application, in the order stages were submitted (a job's
 * map stages before the stages that read them); a stage run again after a fetch failure gets a new
 * id. Executors cache a stage's code by its id.
 *
 * @param value 0 for the application's first stage
 */
public record StageId(int value) implements Comparable<StageId> {

    public StageId {
        if (value < 0) {
            throw new IllegalArgumentException("a stage id must be >= 0: " + value);
        }
    }

    @Override
    public int compareTo(StageId other) {
        return Integer.compare(value, other.value);
    }

    /** {@code stage 7}, as log lines say it. */
    @Override
    public String toString() {
        return "stage " + value;
    }
}
