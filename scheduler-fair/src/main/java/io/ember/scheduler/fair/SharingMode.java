package io.ember.scheduler.fair;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * How the items inside one pool or queue share the slots the group gets.
 *
 * <p>Immutable and thread-safe.
 */
enum SharingMode {
    /** Lowest priority first, then lowest sequence, then name: earlier jobs, then earlier stages. */
    FIFO("fifo") {
        @Override
        ItemKey keyOf(QueuedItem item) {
            return new ItemKey(item.priority(), item.sequence(), item.name(), item);
        }
    },
    /** Fewest running slots first, then name: the items share the group evenly. */
    FAIR("fair") {
        @Override
        ItemKey keyOf(QueuedItem item) {
            return new ItemKey(item.running(), 0, item.name(), item);
        }
    };

    private final String id;

    SharingMode(String id) {
        this.id = id;
    }

    /** The word operators write in {@code pool.<name>.mode}: {@code fifo} or {@code fair}. */
    String id() {
        return id;
    }

    /** Whether an item's position depends on its running count. */
    boolean ordersByRunning() {
        return this == FAIR;
    }

    /** The item's position in its group under this mode, from its current counts. */
    abstract ItemKey keyOf(QueuedItem item);

    /** The mode named by {@code id}, as the {@code mode} keys accept it. */
    static SharingMode of(String id) {
        requireNonNull(id, "id is null");
        return Arrays.stream(values())
                .filter(mode -> mode.id.equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown sharing mode: '" + id + "'; expected fifo or fair"));
    }
}
