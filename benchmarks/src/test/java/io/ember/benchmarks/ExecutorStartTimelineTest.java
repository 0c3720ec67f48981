package io.ember.benchmarks;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * The timeline reads the INFO lines of a few of core's loggers, named after their classes: a class
 * that moves to another package takes its logger's name along, and the timeline would quietly show
 * its steps as "?".
 */
final class ExecutorStartTimelineTest {

    @Test
    void everyLoggerItReadsIsNamedAfterAClassOfCore() {
        for (String logger : ExecutorStartTimeline.LOGGERS) {
            assertDoesNotThrow(() -> Class.forName(logger, false, getClass().getClassLoader()),
                    logger + " names no class: did it move?");
        }
    }
}
