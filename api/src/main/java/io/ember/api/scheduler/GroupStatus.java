package io.ember.api.scheduler;

import java.util.Objects;

/**
 * A snapshot of one pool (driver) or queue (master).
 *
 * @param name the group's name
 * @param mode how items inside the group share it, e.g. {@code "fifo"} or {@code "fair"}
 * @param weight the group's share relative to its siblings
 * @param minShare slots the group is owed before weights apply
 * @param maxShare the most slots the group may hold; {@link Integer#MAX_VALUE} when unbounded
 * @param running slots held by the group's items
 * @param pending further slots the group's items could use
 * @param items how many items the group holds
 */
public record GroupStatus(String name, String mode, double weight, int minShare, int maxShare,
                          int running, int pending, int items) {

    public GroupStatus {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(mode, "mode is null");
        if (weight < 0 || minShare < 0 || maxShare < 0 || running < 0 || pending < 0 || items < 0) {
            throw new IllegalArgumentException("group figures must be >= 0: " + name);
        }
    }
}
