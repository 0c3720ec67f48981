package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

/**
 * An item's position inside its group, ordered by {@code major}, then {@code minor}, then name,
 * lowest first. What {@code major} and {@code minor} hold depends on the group's
 * {@link SharingMode}. The key is a snapshot: when the values it was made from change, the group
 * replaces it.
 *
 * @param major the first ordering value (priority under fifo, running slots under fair)
 * @param minor the second ordering value (sequence under fifo, 0 under fair)
 * @param name the item's unique name, the last tie-breaker
 * @param queued the item this key positions
 */
record ItemKey(long major, long minor, String name, QueuedItem queued) implements Comparable<ItemKey> {

    ItemKey {
        requireNonNull(name, "name is null");
        requireNonNull(queued, "queued is null");
    }

    @Override
    public int compareTo(ItemKey other) {
        int byMajor = Long.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Long.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : name.compareTo(other.name);
    }
}
