package io.ember.core.coordination;

/**
 * A leader-only write was refused because this master does not lead (any more): either it knows
 * it has lost leadership, or ZooKeeper's epoch shows that another master has taken over since
 * (the write was fenced). Nothing of the refused write was applied. A master that gets this must
 * stop acting as the leader; its {@link LeaderElection.Listener} has been, or is about to be,
 * told so.
 */
public final class NotLeaderException extends CoordinationException {

    private static final long serialVersionUID = 1L;

    public NotLeaderException(String message) {
        super(message);
    }
}
