package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

/**
 * How one pool or queue is configured.
 *
 * @param weight the group's share relative to its siblings once every minShare is met; 0 means it
 *     gets a slot only when no other group can use it (or while it is below its minShare)
 * @param minShare slots the group is owed before weights apply
 * @param maxShare the most slots the group may hold; {@link Integer#MAX_VALUE} when unbounded
 * @param mode how the group's items share its slots
 */
record GroupParameters(double weight, int minShare, int maxShare, SharingMode mode) {

    /** What an undeclared group gets: weight 1, minShare 0, unbounded, fifo. */
    static final GroupParameters UNDECLARED = new GroupParameters(1, 0, Integer.MAX_VALUE, SharingMode.FIFO);

    GroupParameters {
        requireNonNull(mode, "mode is null");
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be a finite number >= 0: " + weight);
        }
        if (minShare < 0) {
            throw new IllegalArgumentException("minShare must be >= 0: " + minShare);
        }
        if (maxShare < 1) {
            throw new IllegalArgumentException("maxShare must be >= 1: " + maxShare);
        }
        if (minShare > maxShare) {
            throw new IllegalArgumentException("minShare (" + minShare + ") must not exceed maxShare (" + maxShare + ")");
        }
    }
}
