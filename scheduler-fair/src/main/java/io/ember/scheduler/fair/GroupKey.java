package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

/**
 * A group's position among its siblings, following Spark's fair-sharing comparison: a group below
 * its minShare ({@code needy}) comes before any group that is not; two needy groups compare by
 * running/minShare, two others by running/weight (infinite for weight 0); ties go to the lower
 * name. The key is a snapshot: when the group's running count changes, the queue replaces it.
 *
 * @param needy whether the group holds fewer slots than its minShare
 * @param ratio running/minShare when needy, else running/weight
 * @param name the group's name, the last tie-breaker
 * @param group the group this key positions
 */
record GroupKey(boolean needy, double ratio, String name, Group group) implements Comparable<GroupKey> {

    GroupKey {
        requireNonNull(name, "name is null");
        requireNonNull(group, "group is null");
        if (Double.isNaN(ratio) || ratio < 0) {
            throw new IllegalArgumentException("ratio must be >= 0: " + ratio + " for " + name);
        }
    }

    /** The key of a group holding {@code running} slots under {@code parameters}. */
    static GroupKey of(Group group, String name, long running, GroupParameters parameters) {
        boolean needy = running < parameters.minShare();
        double ratio;
        if (needy) {
            ratio = (double) running / parameters.minShare();
        } else if (parameters.weight() == 0) {
            ratio = Double.POSITIVE_INFINITY;
        } else {
            ratio = running / parameters.weight();
        }
        return new GroupKey(needy, ratio, name, group);
    }

    @Override
    public int compareTo(GroupKey other) {
        if (needy != other.needy) {
            return needy ? -1 : 1;
        }
        int byRatio = Double.compare(ratio, other.ratio);
        return byRatio != 0 ? byRatio : name.compareTo(other.name);
    }
}
