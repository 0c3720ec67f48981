package io.ember.core.cli;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The one line {@code ember submit} shows on a terminal while stages run, as Spark's console does:
 * one box per running stage, side by side, each {@code [Stage N:===>     (F + R) / T]} with F tasks
 * finished, R running, T in all, the bar filled in proportion to F / T. The boxes share the line's
 * width equally; a box too narrow for a bar keeps its counts.
 *
 * <p>Stateless, thread-safe.
 */
final class ProgressBar {

    private ProgressBar() {
    }

    /**
     * A running stage's counts.
     *
     * @param stageId the stage's number
     * @param total its tasks
     * @param finished the tasks that finished
     * @param running the tasks running now
     */
    record Stage(int stageId, int total, int finished, int running) {
        Stage {
            if (total < 0 || finished < 0 || running < 0) {
                throw new IllegalArgumentException("counts must not be negative: " + total + ", " + finished + ", "
                        + running);
            }
        }
    }

    /**
     * The line for {@code stages}, at most {@code width} characters where the counts fit.
     *
     * @param width the terminal's columns
     * @return empty when no stage runs
     */
    static String render(List<Stage> stages, int width) {
        requireNonNull(stages, "stages is null");
        if (stages.isEmpty()) {
            return "";
        }
        int each = Math.max(1, width / stages.size());
        StringBuilder line = new StringBuilder(width);
        for (Stage stage : stages) {
            line.append(box(stage, each));
        }
        return line.toString();
    }

    private static String box(Stage stage, int width) {
        String header = "[Stage " + stage.stageId() + ":";
        String tailer = "(" + stage.finished() + " + " + stage.running() + ") / " + stage.total() + "]";
        int barWidth = width - header.length() - tailer.length();
        StringBuilder box = new StringBuilder(header);
        if (barWidth > 0) {
            int filled = stage.total() == 0 ? barWidth : (int) ((long) barWidth * Math.min(stage.finished(),
                    stage.total()) / stage.total());
            for (int i = 0; i < barWidth; i++) {
                box.append(i < filled ? '=' : i == filled ? '>' : ' ');
            }
        }
        return box.append(tailer).toString();
    }
}
