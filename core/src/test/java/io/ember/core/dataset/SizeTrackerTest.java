package io.ember.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.storage.SizeEstimator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracker's extrapolated sizes stay close to full estimates, and start again after a reset. */
final class SizeTrackerTest {

    private final SizeEstimator estimator = new SizeEstimator();

    @Test
    void extrapolatesBetweenEstimatesWithinAFewPercentOfAFullEstimate() {
        SizeTracker tracker = new SizeTracker(estimator);
        List<String> growing = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            growing.add("record-" + i);
            long tracked = tracker.updated(growing);
            if (i % 20_000 == 19_999) {
                long full = estimator.estimate(growing);
                assertTrue(Math.abs(tracked - full) <= full / 10, "after " + (i + 1) + " updates: tracked " + tracked
                        + ", estimated " + full);
            }
        }
    }

    @Test
    void aResetStartsAgainFromNothing() {
        SizeTracker tracker = new SizeTracker(estimator);
        List<String> buffer = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            buffer.add("x" + i);
            tracker.updated(buffer);
        }
        buffer.clear();
        tracker.reset();
        buffer.add("y");
        assertEquals(estimator.estimate(buffer), tracker.updated(buffer), "the first update after a reset is estimated");
    }

    /**
     * After a restart the size is extrapolated from the rate learned before the collection was
     * emptied (the first update is not estimated in full) and stays within a tenth of a full
     * estimate as it fills again alike; counted in batches, too.
     */
    @Test
    void aRestartExtrapolatesFromTheRateLearnedBefore() {
        SizeTracker tracker = new SizeTracker(estimator);
        List<String> buffer = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            buffer.add("record-" + i);
            tracker.updated(buffer);
        }
        buffer.clear();
        tracker.restart();

        buffer.add("record-0");
        long first = tracker.updated(buffer);
        assertTrue(first < estimator.estimate(buffer), "extrapolated from the rate per update, without the list's "
                + "own bytes: " + first);
        for (int i = 1; i < 40_000; i += 32) {
            for (int j = i; j < i + 32; j++) {
                buffer.add("record-" + j);
            }
            long tracked = tracker.updated(buffer, 32);
            if (buffer.size() % 8_000 < 32 && buffer.size() > 8_000) {
                long full = estimator.estimate(buffer);
                assertTrue(Math.abs(tracked - full) <= full / 10, "after " + buffer.size() + " updates: tracked "
                        + tracked + ", estimated " + full);
            }
        }
    }
}
