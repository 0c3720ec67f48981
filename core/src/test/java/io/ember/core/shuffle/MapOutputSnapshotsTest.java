package io.ember.core.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.shuffle.BlockLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

final class MapOutputSnapshotsTest {

    private static final BlockLocation SERVICE = new BlockLocation("1", "host-a", 7337);

    private static MapOutputTracker trackerWithOneShuffle() {
        MapOutputTracker tracker = new MapOutputTracker();
        tracker.register(4, 2, 3);
        tracker.add(4, new MapStatus(0, 10, SERVICE, new long[] {5, 0, 7}));
        tracker.add(4, new MapStatus(1, 11, SERVICE, new long[] {0, 1, 9}));
        return tracker;
    }

    @Test
    void servesAPublishedVersionUntilEveryStageThatPublishedItReleasedIt() throws IOException {
        MapOutputTracker tracker = trackerWithOneShuffle();
        MapOutputSnapshots snapshots = new MapOutputSnapshots();
        MapOutputsRef first = snapshots.publish(tracker.snapshot(4));
        MapOutputsRef second = snapshots.publish(tracker.snapshot(4));
        assertEquals(first, second, "two stages reading the same version share it");
        assertEquals(1, snapshots.served());

        MapStatus[] decoded = MapStatusCodec.decode(snapshots.encoded(first).orElseThrow());
        assertEquals(List.of(tracker.snapshot(4).statuses()), List.of(decoded));
        assertArrayEquals(tracker.snapshot(4).statuses(), snapshots.statuses(first));

        snapshots.release(first);
        assertTrue(snapshots.encoded(second).isPresent(), "the other stage still reads it");
        snapshots.release(second);
        assertEquals(Optional.empty(), snapshots.encoded(first));
        assertEquals(0, snapshots.served());
        IOException gone = assertThrows(IOException.class, () -> snapshots.statuses(first));
        assertTrue(gone.getMessage().contains("no longer serves the map outputs of shuffle 4"), gone.getMessage());
    }

    @Test
    void everyChangeOfAShuffleOutputsIsANewVersionNeverReused() {
        MapOutputTracker tracker = trackerWithOneShuffle();
        long before = tracker.snapshot(4).version();
        tracker.outputLost(4, 11);
        tracker.add(4, new MapStatus(1, 12, SERVICE, new long[] {0, 1, 9}));
        long after = tracker.snapshot(4).version();
        assertTrue(after > before, before + " then " + after);

        tracker.unregister(4);
        tracker.register(4, 1, 1);
        tracker.add(4, new MapStatus(0, 13, SERVICE, new long[] {3}));
        assertTrue(tracker.snapshot(4).version() > after, "a shuffle registered again gets a version never given");
    }

    @Test
    void theTrackerKeepsTheStatusesOfManyReducePartitionsCompact() {
        MapOutputTracker tracker = new MapOutputTracker(100);
        tracker.register(1, 1, 2_001);
        long[] lengths = new long[2_001];
        lengths[0] = 500;
        lengths[1] = 10;
        lengths[2] = 30;
        tracker.add(1, new MapStatus(0, 5, SERVICE, lengths));
        MapStatus kept = tracker.snapshot(1).statuses()[0];
        assertTrue(kept.sizes() instanceof BlockSizes.Approximate, kept.sizes().toString());
        assertEquals(540, kept.bytes());
        assertEquals(500, kept.length(0));
        assertEquals(20, kept.length(1));
        assertEquals(20, kept.length(2));
        assertEquals(0, kept.length(3));
        MapStatus[] statuses = {kept};
        assertEquals(List.of(true, false, false), List.of(MapStatus.blocks(1, 0, statuses).get(0).lengthExact(),
                MapStatus.blocks(1, 1, statuses).get(0).lengthExact(), MapStatus.blocks(1, 2, statuses).get(0)
                        .lengthExact()), "the large block's length is exact, the small ones' estimated");
        assertEquals(List.of(), MapStatus.blocks(1, 3, statuses), "an empty block is known empty");
    }

    @Test
    void decodingRefusesBytesThatAreNotMapStatuses() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(new DeflaterOutputStream(bytes))) {
            out.writeObject(new ArrayList<>(List.of("not", "statuses")));
        }
        IOException refused = assertThrows(IOException.class, () -> MapStatusCodec.decode(bytes.toByteArray()));
        assertTrue(refused.getMessage().contains("cannot read"), refused.getMessage());
    }

    @Test
    void theEmptyRegistryServesNothingAndTakesNothing() {
        MapOutputTracker tracker = trackerWithOneShuffle();
        assertThrows(IllegalStateException.class, () -> MapOutputSnapshots.NONE.publish(tracker.snapshot(4)));
        assertEquals(Optional.empty(), MapOutputSnapshots.NONE.encoded(new MapOutputsRef(4, 1)));
    }
}
