package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.job.StageId;
import io.ember.core.scheduler.SchedulerListener;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shows the running stages of one application as a progress bar on the terminal's standard error
 * ({@link ProgressBar}), redrawn in place every {@link #REFRESH}: from the moment a stage has run
 * for {@link #FIRST_SHOWN} (a short job shows nothing), until no stage runs, when the line is
 * cleared so that the application's own output starts on a clean line.
 *
 * <p>Threading: the listener's methods run on the scheduler's listener thread, {@link #refresh()}
 * on a thread of its own ({@link #start()}) or a test's; the counts are guarded by this.
 */
final class ConsoleProgress implements SchedulerListener, AutoCloseable {

    /** How often the line is redrawn. */
    static final Duration REFRESH = Duration.ofMillis(200);
    /** How long a stage runs before the line appears. */
    static final Duration FIRST_SHOWN = Duration.ofMillis(500);

    private final PrintStream out;
    private final int width;
    private final Clock clock;
    /** The running stages by id, with their counts. Guarded by this. */
    private final Map<StageId, Counts> stages = new TreeMap<>();
    /** What the terminal shows now, empty when nothing. Guarded by this. */
    private String shown = "";
    private EventLoop refresher;

    /**
     * @param out the terminal's standard error
     * @param width the terminal's columns; the line keeps one free, so the cursor never wraps
     * @param clock when stages ran long enough to show
     */
    ConsoleProgress(PrintStream out, int width, Clock clock) {
        this.out = requireNonNull(out, "out is null");
        if (width < 2) {
            throw new IllegalArgumentException("width must be at least 2 columns: " + width);
        }
        this.width = width - 1;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Starts redrawing every {@link #REFRESH} on a daemon thread, until {@link #close()}. */
    synchronized ConsoleProgress start() {
        if (refresher == null) {
            refresher = EventLoop.start("ember-console-progress");
            refresher.scheduleWithFixedDelay(this::refresh, REFRESH, REFRESH);
        }
        return this;
    }

    @Override
    public synchronized void onStageSubmitted(StageSubmitted event) {
        stages.put(event.stageId(), new Counts(event.stageId().value(), event.tasks(), clock.millis()));
    }

    @Override
    public synchronized void onTaskStart(TaskStart event) {
        Counts counts = stages.get(event.stageId());
        if (counts != null) {
            counts.running++;
        }
    }

    @Override
    public synchronized void onTaskEnd(TaskEnd event) {
        Counts counts = stages.get(event.stageId());
        if (counts != null) {
            counts.running = Math.max(0, counts.running - 1);
            if (event.outcome() == Outcome.FINISHED) {
                counts.finished++;
            }
        }
    }

    @Override
    public synchronized void onStageCompleted(StageCompleted event) {
        stages.remove(event.stageId());
        if (stages.isEmpty()) {
            clear();
        }
    }

    @Override
    public synchronized void onJobEnd(JobEnd event) {
        if (stages.isEmpty()) {
            clear();
        }
    }

    /** Draws the line as it is now, once a stage has run for {@link #FIRST_SHOWN}; clears it when none runs. */
    synchronized void refresh() {
        long now = clock.millis();
        List<ProgressBar.Stage> showing = new ArrayList<>();
        boolean longEnough = false;
        for (Counts counts : stages.values()) {
            showing.add(new ProgressBar.Stage(counts.stageId, counts.total, counts.finished, counts.running));
            longEnough |= now - counts.submittedMillis >= FIRST_SHOWN.toMillis();
        }
        if (showing.isEmpty() || !longEnough) {
            clear();
            return;
        }
        String line = ProgressBar.render(showing, width);
        if (line.equals(shown)) {
            return;
        }
        // Carriage return, the line, and blanks over whatever a longer line before it left.
        out.print("\r" + line + " ".repeat(Math.max(0, shown.length() - line.length())));
        out.flush();
        shown = line;
    }

    /** Stops redrawing and clears the line. */
    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow(Duration.ZERO);
        }
        clear();
    }

    private void clear() {
        if (!shown.isEmpty()) {
            out.print("\r" + " ".repeat(shown.length()) + "\r");
            out.flush();
            shown = "";
        }
    }

    /** A running stage's counts. */
    private static final class Counts {
        final int stageId;
        final int total;
        final long submittedMillis;
        int finished;
        int running;

        Counts(int stageId, int total, long submittedMillis) {
            this.stageId = stageId;
            this.total = total;
            this.submittedMillis = submittedMillis;
        }
    }
}
