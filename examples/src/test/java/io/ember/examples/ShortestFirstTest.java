package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.driver.EmberContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShortestFirst} on {@code local[2]} under the default {@code fifo} scheduler: the short job
 * waits until every task of the long one has started, so it finishes last. (Under
 * {@code shortest-first} it finishes first; the distribution's end-to-end test runs that, with the
 * plugin dropped into {@code plugins/}.)
 */
final class ShortestFirstTest {

    private final EmberContext ember = EmberContext.builder().isolated().master("local[2]").appName("race-test")
            .set("ember.task.launchAhead", "0")
            .build();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @AfterEach
    void close() {
        ember.close();
    }

    @Test
    void underFifoTheLongJobFinishesFirst() {
        List<String> order = ShortestFirst.run(ember, 10, 2, 100, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertEquals(List.of("the long job", "the short job"), order, output());
    }

    @Test
    void printsBothJobsAndWhichFinishedFirstUnderWhichScheduler() {
        ShortestFirst.run(ember, 4, 2, 20, new PrintStream(printed, true, StandardCharsets.UTF_8));

        List<String> lines = output().lines().toList();
        assertEquals(4, lines.size(), output());
        assertEquals("Long job: 4 tasks of 20 ms, submitted first; short job: 2 tasks of 20 ms, submitted once the "
                + "long job's first task has started", lines.get(0));
        assertTrue(lines.get(1).matches("The short job finished \\d+ ms after it was submitted"), lines.get(1));
        assertTrue(lines.get(2).matches("The long job finished \\d+ ms after it was submitted"), lines.get(2));
        assertTrue(lines.get(3).matches("Finished first: the (long|short) job \\(scheduler: fifo\\)"), lines.get(3));
    }

    @Test
    void refusesATaskCountBelowOneBeforeItStarts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShortestFirst.main(new String[] {"40", "0"}));

        assertEquals("shortTasks must be a whole number of at least 1: '0'", e.getMessage());
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
