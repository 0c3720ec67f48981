package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

final class ProgressBarTest {

    @Test
    void oneStageFillsTheWidthWithItsBarInProportionToTheFinishedTasks() {
        String line = ProgressBar.render(List.of(new ProgressBar.Stage(3, 100, 45, 4)), 40);

        // 16 columns for the bar: 45 % of them is 7 filled, then the head.
        assertEquals("[Stage 3:" + "=".repeat(7) + ">" + " ".repeat(8) + "(45 + 4) / 100]", line);
        assertEquals(40, line.length());
    }

    @Test
    void noTaskFinishedShowsOnlyTheHeadAndAllFinishedAFullBar() {
        assertEquals("[Stage 0:>" + " ".repeat(9) + "(0 + 2) / 10]",
                ProgressBar.render(List.of(new ProgressBar.Stage(0, 10, 0, 2)), 32));
        assertEquals("[Stage 0:" + "=".repeat(9) + "(10 + 0) / 10]",
                ProgressBar.render(List.of(new ProgressBar.Stage(0, 10, 10, 0)), 32));
    }

    @Test
    void severalStagesShareTheWidthSideBySide() {
        String line = ProgressBar.render(List.of(new ProgressBar.Stage(1, 8, 4, 2), new ProgressBar.Stage(2, 8, 0, 2)), 60);

        assertEquals("[Stage 1:====>    (4 + 2) / 8]" + "[Stage 2:>        (0 + 2) / 8]", line);
    }

    @Test
    void aBoxTooNarrowForABarKeepsItsCounts() {
        assertEquals("[Stage 12:(3 + 1) / 7][Stage 13:(0 + 0) / 2]", ProgressBar.render(List.of(
                new ProgressBar.Stage(12, 7, 3, 1), new ProgressBar.Stage(13, 2, 0, 0)), 20));
    }

    @Test
    void nothingRunningIsAnEmptyLineAndNegativeCountsAreRefused() {
        assertEquals("", ProgressBar.render(List.of(), 80));
        assertThrows(IllegalArgumentException.class, () -> new ProgressBar.Stage(0, 1, -1, 0));
    }
}
