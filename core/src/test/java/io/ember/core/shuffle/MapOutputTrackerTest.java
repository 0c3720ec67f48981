package io.ember.core.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleBlockId;
import java.util.List;
import org.junit.jupiter.api.Test;

final class MapOutputTrackerTest {

    private static final BlockLocation SERVICE_A = new BlockLocation("1", "host-a", 7337);
    private static final BlockLocation SELF_B = new BlockLocation("2", "host-b", 40001);

    @Test
    void listsTheNonEmptyBlocksOfAReducePartitionOnceEveryMapPartitionHasOutput() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.register(0, 2, 3);
        assertEquals(List.of(0, 1), tracker.missing(0));

        tracker.add(0, new MapStatus(0, 10, SERVICE_A, new long[] {5, 0, 7}));
        assertThrows(IllegalStateException.class, () -> tracker.blocks(0, 0), "map partition 1 has not run");
        tracker.add(0, new MapStatus(1, 11, SELF_B, new long[] {0, 0, 9}));

        assertEquals(List.of(), tracker.missing(0));
        assertEquals(List.of(new MapBlock(new ShuffleBlockId(0, 10, 0), SERVICE_A, 5)), tracker.blocks(0, 0));
        assertEquals(List.of(), tracker.blocks(0, 1), "empty blocks are never fetched");
        assertEquals(List.of(new MapBlock(new ShuffleBlockId(0, 10, 2), SERVICE_A, 7),
                new MapBlock(new ShuffleBlockId(0, 11, 2), SELF_B, 9)), tracker.blocks(0, 2));
    }

    @Test
    void forgetsALostMapOutputSoOnlyItsPartitionRunsAgain() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.register(3, 3, 1);
        tracker.add(3, new MapStatus(0, 1, SERVICE_A, new long[] {1}));
        tracker.add(3, new MapStatus(1, 2, SERVICE_A, new long[] {1}));
        tracker.add(3, new MapStatus(2, 3, SELF_B, new long[] {1}));

        assertTrue(tracker.outputLost(3, 2));
        assertFalse(tracker.outputLost(3, 2), "already forgotten");
        assertEquals(List.of(1), tracker.missing(3));

        tracker.add(3, new MapStatus(1, 4, SELF_B, new long[] {1}));   // the re-run, a new attempt id
        assertEquals(List.of(), tracker.missing(3));
        assertEquals(4, tracker.blocks(3, 0).get(1).id().mapId());
    }

    @Test
    void forgetsEveryOutputServedByAnExecutorThatDied() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.register(0, 2, 1);
        tracker.register(1, 1, 2);
        tracker.add(0, new MapStatus(0, 1, SERVICE_A, new long[] {1}));
        tracker.add(0, new MapStatus(1, 2, SELF_B, new long[] {1}));
        tracker.add(1, new MapStatus(0, 3, SELF_B, new long[] {1, 1}));

        assertEquals(2, tracker.locationsLost(location -> location.executorId().equals("2")));

        assertEquals(List.of(1), tracker.missing(0));
        assertEquals(List.of(0), tracker.missing(1));
    }

    @Test
    void refusesStatusesThatDoNotFitTheShuffle() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.register(0, 1, 2);

        assertThrows(IllegalArgumentException.class, () -> tracker.add(0, new MapStatus(0, 1, SERVICE_A, new long[] {1})));
        assertThrows(IllegalArgumentException.class, () -> tracker.add(0, new MapStatus(1, 1, SERVICE_A, new long[] {1, 1})));
        assertThrows(IllegalArgumentException.class, () -> tracker.add(9, new MapStatus(0, 1, SERVICE_A, new long[] {1, 1})));
        assertThrows(IllegalArgumentException.class, () -> new MapStatus(0, 1, SERVICE_A, new long[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> tracker.blocks(0, 2));
    }

    /** Forgetting everything empties every shuffle and counts, so a map stage running meanwhile knows to run again. */
    @Test
    void forgettingEveryOutputCountsSoAStageRunningMeanwhileKnows() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.register(0, 2, 1);
        tracker.register(1, 1, 1);
        tracker.add(0, new MapStatus(0, 10, SERVICE_A, new long[] {5}));
        tracker.add(0, new MapStatus(1, 11, SELF_B, new long[] {6}));
        tracker.add(1, new MapStatus(0, 12, SERVICE_A, new long[] {7}));
        long before = tracker.forgettings();

        tracker.forgetAll();

        assertEquals(before + 1, tracker.forgettings());
        assertEquals(List.of(0, 1), tracker.missing(0));
        assertEquals(List.of(0), tracker.missing(1));
    }
}
