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
}
