package io.ember.api.shuffle;

import java.util.Objects;

/**
 * A block of map output could not be read: its server is gone, the file is missing, or it stayed
 * corrupt after being fetched again. The host reacts by running the map task that wrote it again,
 * then the reduce task.
 */
public final class FetchFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ShuffleBlockId block;
    private final BlockLocation location;

    /**
     * @param block the block that could not be read
     * @param location where it was looked for
     * @param reason what went wrong, for an operator
     */
    public FetchFailedException(ShuffleBlockId block, BlockLocation location, String reason, Throwable cause) {
        super("cannot fetch " + block + " from executor " + location.executorId() + " at " + location.host() + ":"
                + location.port() + ": " + reason, cause);
        this.block = Objects.requireNonNull(block, "block is null");
        this.location = location;
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
