package io.ember.shuffle.sort;

/**
 * The bytes of shuffle blocks that an executor's reduce tasks have requested from remote hosts and
 * not yet handed out, bounded across all of them ({@code maxBytesInFlightPerExecutor}), on top of
 * each task's own bound. A task with nothing in flight may always take one request, even past the
 * bound, so that no task waits for ever on the others: the executor's bytes in flight stay under
 * the bound plus one request per running task.
 *
 * <p>One per executor, shared by its readers. Thread-safe.
 */
final class FetchBudget {

    private final long limit;
    private long inFlight;
    private long peak;

    /** @param limit the bytes in flight across the executor's readers */
    FetchBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be > 0: " + limit);
        }
        this.limit = limit;
    }

    /** A budget that never holds a reader back. */
    static FetchBudget unbounded() {
        return new FetchBudget(Long.MAX_VALUE);
    }

    /**
     * Takes {@code bytes} for a request if they fit, or in any case when the reader has nothing in
     * flight ({@code readerIdle}).
     *
     * @return whether the request may go
     */
    synchronized boolean tryTake(long bytes, boolean readerIdle) {
        if (!readerIdle && inFlight + bytes > limit) {
            return false;
        }
        inFlight += bytes;
        peak = Math.max(peak, inFlight);
        return true;
    }

    /** Gives back bytes taken: a block was handed out, or its reader closed. */
    synchronized void giveBack(long bytes) {
        if (bytes < 0 || bytes > inFlight) {
            throw new IllegalArgumentException("cannot give back " + bytes + " bytes of " + inFlight + " in flight");
        }
        inFlight -= bytes;
    }

    /** The bytes in flight now. */
    synchronized long inFlight() {
        return inFlight;
    }

    /** The most bytes that were in flight at once. */
    synchronized long peak() {
        return peak;
    }

    @Override
    public synchronized String toString() {
        return "FetchBudget[" + inFlight + " of " + limit + " bytes in flight, peak " + peak + "]";
    }
}
