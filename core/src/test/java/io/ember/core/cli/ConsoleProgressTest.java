package io.ember.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.api.testkit.ManualClock;
import io.ember.core.job.JobId;
import io.ember.core.job.StageId;
import io.ember.core.scheduler.SchedulerListener;
import io.ember.core.scheduler.TaskRunMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class ConsoleProgressTest {

    private static final JobId JOB = new JobId(0);

    private final ManualClock clock = new ManualClock();
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final ConsoleProgress progress = new ConsoleProgress(new PrintStream(terminal, true, StandardCharsets.UTF_8),
            61, clock);

    @Test
    void aStageShowsOnceItHasRunHalfASecondAndItsCountsFollowItsTasks() {
        submit(0, 4);
        start(0, 1);
        start(0, 2);
        clock.advance(Duration.ofMillis(400));
        progress.refresh();
        assertEquals("", written(), "a stage younger than 500 ms shows nothing");

        clock.advance(Duration.ofMillis(100));
        progress.refresh();
        assertEquals("\r[Stage 0:>" + " ".repeat(38) + "(0 + 2) / 4]", written());

        end(0, 1, SchedulerListener.Outcome.FINISHED);
        end(0, 2, SchedulerListener.Outcome.FAILED);
        start(0, 3);
        progress.refresh();
        assertTrue(written().endsWith("\r[Stage 0:" + "=".repeat(9) + ">" + " ".repeat(29) + "(1 + 1) / 4]"),
                "a failed task is not finished: " + written());
        int before = written().length();
        progress.refresh();
        assertEquals(before, written().length(), "an unchanged line is not drawn again");
    }

    @Test
    void theLineIsClearedWhenTheLastStageEndsAndALongerLineIsOverwrittenWhole() {
        submit(1, 2);
        submit(2, 2);
        clock.advance(Duration.ofSeconds(1));
        progress.refresh();
        String two = "[Stage 1:>" + " ".repeat(8) + "(0 + 0) / 2]" + "[Stage 2:>" + " ".repeat(8) + "(0 + 0) / 2]";
        assertEquals("\r" + two, written());

        progress.onStageCompleted(new SchedulerListener.StageCompleted(JOB, new StageId(1), true, 0));
        progress.refresh();
        String one = "[Stage 2:>" + " ".repeat(38) + "(0 + 0) / 2]";
        assertTrue(written().endsWith("\r" + one), written());

        progress.onStageCompleted(new SchedulerListener.StageCompleted(JOB, new StageId(2), true, 0));
        assertTrue(written().endsWith("\r" + " ".repeat(60) + "\r"), "cleared: " + written());
        progress.refresh();
        assertTrue(written().endsWith("\r" + " ".repeat(60) + "\r"), "nothing more: " + written());
    }

    @Test
    void closingClearsWhatIsShown() {
        submit(0, 1);
        clock.advance(Duration.ofSeconds(1));
        progress.refresh();
        progress.close();
        assertTrue(written().endsWith("\r" + " ".repeat(60) + "\r"), written());
    }

    private void submit(int stage, int tasks) {
        progress.onStageSubmitted(new SchedulerListener.StageSubmitted(JOB, new StageId(stage), "stage " + stage,
                "default", tasks, clock.millis()));
    }

    private void start(int stage, long task) {
        progress.onTaskStart(new SchedulerListener.TaskStart(JOB, new StageId(stage), "default", task, (int) task, 0,
                "1", SchedulerListener.Locality.ANY, clock.millis()));
    }

    private void end(int stage, long task, SchedulerListener.Outcome outcome) {
        progress.onTaskEnd(new SchedulerListener.TaskEnd(JOB, new StageId(stage), "default", task, (int) task, "1",
                outcome, TaskRunMetrics.of(1_000, 0, 0), "", clock.millis()));
    }

    private String written() {
        return terminal.toString(StandardCharsets.UTF_8);
    }
}
