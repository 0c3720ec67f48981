package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class TakeScanTest {

    @Test
    void theFirstScanReadsOnePartition() {
        assertEquals(1, TakeScan.partitionsToScan(0, 0, 1000, 50));
    }

    @Test
    void findingNothingGrowsTheScanFourfold() {
        assertEquals(4, TakeScan.partitionsToScan(1, 0, 10, 100));
        assertEquals(20, TakeScan.partitionsToScan(5, 0, 10, 100));
    }

    @Test
    void rowsFoundEstimateThePartitionsStillNeeded() {
        // 2 partitions gave 10 rows: 5 per partition, 12 missing -> 3 partitions (rounded up)
        assertEquals(3, TakeScan.partitionsToScan(2, 10, 22, 100));
    }

    @Test
    void theEstimateIsCappedAtFourTimesWhatWasRead() {
        assertEquals(8, TakeScan.partitionsToScan(2, 1, 1000, 100));
    }

    @Test
    void theScanNeverPassesTheLastPartition() {
        assertEquals(3, TakeScan.partitionsToScan(7, 0, 10, 10));
        assertEquals(1, TakeScan.partitionsToScan(9, 1, 1000, 10));
    }

    @Test
    void theScanIsAtLeastOnePartition() {
        assertEquals(1, TakeScan.partitionsToScan(4, 1000, 1001, 10));
    }

    @Test
    void thereIsNothingToScanOnceEnoughRowsOrPartitionsWereRead() {
        assertThrows(IllegalArgumentException.class, () -> TakeScan.partitionsToScan(3, 5, 5, 10));
        assertThrows(IllegalArgumentException.class, () -> TakeScan.partitionsToScan(10, 0, 5, 10));
    }

    @Test
    void largeCountsDoNotOverflow() {
        assertEquals(Integer.MAX_VALUE - 1_000_000_000,
                TakeScan.partitionsToScan(1_000_000_000, 1, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }
}
