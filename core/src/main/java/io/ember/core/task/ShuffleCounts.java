package io.ember.core.task;

/**
 * One task attempt's shuffle figures, counted as it goes and reported with its end: what a map task
 * wrote ({@link #written}, once its output is committed) and what a reduce task read (a block's
 * bytes as the reader delivers it, and each record as the task takes it). A task that reads one
 * shuffle and writes another (a map stage after a shuffle) has both.
 *
 * <p>Bytes are the shuffle blocks' lengths as their writer reported them, so what the reduce tasks
 * of a shuffle read adds up to what its map tasks wrote once every block has been read; local blocks
 * (read from disk) count as well as fetched ones.
 *
 * <p>Not thread-safe: one per task attempt ({@link TaskContext#shuffleCounts()}), written and read
 * by the task's own thread. The counters are plain fields, so counting a record costs an increment.
 */
public final class ShuffleCounts {

    private long readBytes;
    private long readRecords;
    private long writeBytes;
    private long writeRecords;
    private int spills;
    private long spillBytes;

    /** Bytes of the shuffle blocks delivered to this task. */
    public long readBytes() {
        return readBytes;
    }

    /** Shuffle records this task took. */
    public long readRecords() {
        return readRecords;
    }

    /** Bytes of the map output this task committed. */
    public long writeBytes() {
        return writeBytes;
    }

    /** Records in the map output this task committed (after a map-side combine). */
    public long writeRecords() {
        return writeRecords;
    }

    /** How many spill files the task wrote (its reduce side's data did not fit in its memory). */
    public int spills() {
        return spills;
    }

    /** Bytes the task wrote to spill files. */
    public long spillBytes() {
        return spillBytes;
    }

    /** The task wrote a spill file of {@code bytes}. */
    public void spilled(long bytes) {
        spills++;
        spillBytes += bytes;
    }

    /** A block of {@code bytes} was delivered to the task. */
    public void blockRead(long bytes) {
        readBytes += bytes;
    }

    /** The task took one more shuffle record. */
    public void recordRead() {
        readRecords++;
    }

    /** The task committed map output of {@code records} records in blocks of {@code bytes} in all. */
    public void written(long records, long bytes) {
        writeRecords += records;
        writeBytes += bytes;
    }

    @Override
    public String toString() {
        return "ShuffleCounts[read " + readRecords + " records, " + readBytes + " bytes; wrote " + writeRecords
                + " records, " + writeBytes + " bytes; spilled " + spills + " time(s), " + spillBytes + " bytes]";
    }
}
