package io.ember.api.shuffle;

import java.io.IOException;
import java.util.Objects;

/**
 * A block of map output could not be read: its server is gone, the file is missing, or it stayed
 * corrupt after being fetched again. The host reacts by running the map task that wrote it again,
 * then the reduce task.
 *
 * <p>It travels from the executor to the driver serialized, where a plugin's own classes may not
 * load: its cause is kept only as JDK types (a cause of another class becomes an
 * {@link IOException} naming that class and saying its message, with its stack trace), so the
 * driver always reads it back as a fetch failure.
 */
public final class FetchFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ShuffleBlockId block;
    private final BlockLocation location;
    private final boolean locationLost;

    /**
     * A block that could not be read while its server answered: the block alone is lost.
     *
     * @param block the block that could not be read
     * @param location where it was looked for
     * @param reason what went wrong, for an operator
     */
    public FetchFailedException(ShuffleBlockId block, BlockLocation location, String reason, Throwable cause) {
        this(block, location, reason, cause, false);
    }

    /**
     * @param block the block that could not be read
     * @param location where it was looked for
     * @param reason what went wrong, for an operator
     * @param locationLost whether the server itself could not be reached (or no longer knows the
     *     executor): then every block served there is lost, not only this one
     */
    public FetchFailedException(ShuffleBlockId block, BlockLocation location, String reason, Throwable cause,
                                boolean locationLost) {
        super("cannot fetch " + block + " from executor " + location.executorId() + " at " + location.host() + ":"
                + location.port() + ": " + reason, portable(cause));
        this.block = Objects.requireNonNull(block, "block is null");
        this.location = location;
        this.locationLost = locationLost;
    }

    /** {@code cause} and its causes as JDK types, which every class loader can read back. */
    private static Throwable portable(Throwable cause) {
        if (cause == null || onlyJdkTypes(cause)) {
            return cause;
        }
        IOException copy = new IOException(cause.getClass().getName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), portable(cause.getCause()));
        copy.setStackTrace(cause.getStackTrace());
        return copy;
    }

    private static boolean onlyJdkTypes(Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (!t.getClass().getName().startsWith("java.") || t.getSuppressed().length > 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether every block served at {@link #location()} is lost, not only {@link #block()}. */
    public boolean locationLost() {
        return locationLost;
    }

    /** The block that could not be read. */
    public ShuffleBlockId block() {
        return block;
    }

    /** Where it was looked for. */
    public BlockLocation location() {
        return location;
    }
}
