package io.ember.core.status;

import static io.ember.core.web.Html.escape;

import io.ember.core.status.StatusViews.ApplicationView;
import io.ember.core.status.StatusViews.DurationSummary;
import io.ember.core.status.StatusViews.ExecutorView;
import io.ember.core.status.StatusViews.JobView;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * The pictures of an application's pages, as inline SVG: an event timeline of executors and jobs
 * (a bar from each one's start to its end, or to now) and a box plot of a stage's task durations.
 */
final class Timeline {

    private static final int WIDTH = 900;
    private static final int LABEL = 150;
    private static final int ROW = 18;
    private static final int MAX_ROWS = 60;

    private Timeline() {
    }

    /** Executors (added → removed) and then jobs (submitted → ended), the newest {@value #MAX_ROWS} of each. */
    static String svg(ApplicationView application, List<JobView> jobs, List<ExecutorView> executors, long now) {
        long start = application.startTime();
        long end = Math.max(start + 1, application.endTime() == null ? now : application.endTime());
        List<ExecutorView> shownExecutors = executors.subList(0, Math.min(MAX_ROWS, executors.size()));
        List<JobView> shownJobs = jobs.subList(0, Math.min(MAX_ROWS, jobs.size()));
        int rows = shownExecutors.size() + shownJobs.size();
        int height = (rows + 1) * ROW + 24;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH + LABEL)
                .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"Timeline of executors "
                        + "and jobs\">");
        int y = 0;
        for (ExecutorView executor : shownExecutors) {
            long to = executor.removeTime() == null ? end : executor.removeTime();
            bar(svg, y++, "executor " + executor.id(), executor.addTime(), to, start, end,
                    executor.active() ? "#4f9a64" : "#a0a8b0", "executor " + executor.id() + " on "
                            + executor.host() + (executor.active() ? "" : ", removed: " + executor.removeReason()));
        }
        for (int i = shownJobs.size() - 1; i >= 0; i--) {
            JobView job = shownJobs.get(i);
            long to = job.completionTime() == null ? end : job.completionTime();
            String color = switch (job.status()) {
                case "SUCCEEDED" -> "#1f5fbf";
                case "FAILED" -> "#b3261e";
                default -> "#7aa6e6";
            };
            bar(svg, y++, "job " + job.jobId(), job.submissionTime(), to, start, end, color,
                    "job " + job.jobId() + " " + job.status().toLowerCase(Locale.ROOT) + ": " + job.description());
        }
        int axis = y * ROW + 14;
        svg.append("<line x1=\"").append(LABEL).append("\" y1=\"").append(axis - 10).append("\" x2=\"")
                .append(LABEL + WIDTH).append("\" y2=\"").append(axis - 10).append("\" stroke=\"#68737f\"/>");
        for (int tick = 0; tick <= 4; tick++) {
            long at = start + (end - start) * tick / 4;
            int x = LABEL + WIDTH * tick / 4;
            svg.append("<text x=\"").append(Math.min(x, LABEL + WIDTH - 60)).append("\" y=\"").append(axis + 4)
                    .append("\">").append(escape(ApplicationPages.time(at).substring(11))).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static void bar(StringBuilder svg, int row, String label, long from, long to, long start, long end,
                            String color, String title) {
        int y = row * ROW + 4;
        double scale = WIDTH / (double) (end - start);
        int x = LABEL + (int) Math.round(Math.max(0, from - start) * scale);
        int width = Math.max(2, (int) Math.round(Math.max(0, Math.min(to, end) - Math.max(from, start)) * scale));
        svg.append("<g class=\"event\"><title>").append(escape(title)).append("</title><text x=\"0\" y=\"")
                .append(y + 11).append("\">").append(escape(label)).append("</text><rect x=\"").append(x)
                .append("\" y=\"").append(y).append("\" width=\"").append(Math.min(width, LABEL + WIDTH - x))
                .append("\" height=\"").append(ROW - 6).append("\" fill=\"").append(color).append("\" rx=\"2\"/></g>");
    }

    /** A box plot of task durations: whiskers at min and max, a box from the 25th to the 75th percentile. */
    static String boxPlot(DurationSummary d) {
        int width = 600;
        double span = Math.max(1, d.max());
        DoubleUnaryOperator x = v -> 20 + (width - 40) * v / span;
        StringBuilder svg = new StringBuilder("<svg id=\"task-duration-plot\" xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"" + width + "\" height=\"60\" role=\"img\" aria-label=\"Task durations\">");
        svg.append(line(x.applyAsDouble(d.min()), 25, x.applyAsDouble(d.p25()), 25));
        svg.append(line(x.applyAsDouble(d.p75()), 25, x.applyAsDouble(d.max()), 25));
        svg.append(line(x.applyAsDouble(d.min()), 15, x.applyAsDouble(d.min()), 35));
        svg.append(line(x.applyAsDouble(d.max()), 15, x.applyAsDouble(d.max()), 35));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"12\" width=\"%.1f\" height=\"26\" "
                        + "fill=\"#cfe0fa\" stroke=\"#1f5fbf\"/>", x.applyAsDouble(d.p25()),
                Math.max(1, x.applyAsDouble(d.p75()) - x.applyAsDouble(d.p25()))));
        svg.append(line(x.applyAsDouble(d.median()), 12, x.applyAsDouble(d.median()), 38).replace("#68737f",
                "#1f5fbf"));
        svg.append("<text x=\"20\" y=\"55\">0</text><text x=\"").append(width - 80).append("\" y=\"55\">")
                .append(escape(ApplicationPages.duration(Math.round(d.max())))).append("</text>");
        return svg.append("</svg>").toString();
    }

    private static String line(double x1, double y1, double x2, double y2) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#68737f\"/>",
                x1, y1, x2, y2);
    }
}
