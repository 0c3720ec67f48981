package io.ember.benchmarks;

import io.ember.core.driver.EmberContext;
import io.ember.core.job.JobSummary;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tiny-tasks}: how many tasks per second the driver gets through when tasks do nothing, and
 * whether the cost per task stays flat as jobs grow.
 *
 * <p>One application on {@code local-cluster[2,1]} (embedded ZooKeeper, master and workers in this
 * JVM, 2 executors of 1 core as real JVM processes) serves every job. It waits for both executors,
 * runs warm-up jobs of the full size, then each run times three jobs,
 * {@code range(0, n, n).foreach(x -> {})} for n = size/4, size/2 and size (one no-op task per
 * number), from the action's call to its return, as the application sees it. The full size is
 * {@value #TASKS} tasks.
 *
 * <p>Prints each run, then {@code RESULT tiny-tasks <tasks/s> tasks/s} (size divided by the median
 * time of the full-size job) and, for each size, {@code RESULT tiny-tasks-cost-<n> <µs> us}, the
 * median time per task. Usage: {@code TinyTasksBenchmark [--runs N] [--warmup N] [--set key=value]...}
 * (default 5 runs after 3 warm-up jobs: after a single one the first runs are still up to twice as slow
 * while the JIT compiles the driver's and executors' hot paths; {@code --set} settings apply to the
 * application and its cluster).
 */
public final class TinyTasksBenchmark {

    static final String NAME = "tiny-tasks";

    /** Tasks of the largest job. */
    static final int TASKS = 10_000;

    private static final String MASTER = "local-cluster[2,1]";
    private static final int EXECUTORS = 2;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private TinyTasksBenchmark() {
    }

    public static void main(String[] args) {
        run(TASKS, WorkloadOptions.parseOrExit(NAME, args, new WorkloadOptions(5, 3)), System.out);
    }

    /** Runs the workload with jobs of {@code tasks / 4}, {@code tasks / 2} and {@code tasks} tasks. */
    static void run(int tasks, WorkloadOptions options, PrintStream out) {
        if (tasks < 4) {
            throw new IllegalArgumentException("tasks must be >= 4: " + tasks);
        }
        int[] sizes = {tasks / 4, tasks / 2, tasks};
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ember.executor.instances", Integer.toString(EXECUTORS));
        settings.put("ember.executor.memory", "256m");
        settings.putAll(options.settings());
        try (EmberContext ember = EmberContext.builder().isolated().setAll(settings).master(MASTER).appName(NAME)
                .build()) {
            ember.awaitExecutors(EXECUTORS, START_TIMEOUT);
            out.printf("%s: %s, %d executors, jobs of %d, %d and %d no-op tasks, settings %s; Java %s, %d CPU(s); "
                            + "%d warm-up job(s) + %d runs%n", NAME, MASTER, EXECUTORS, sizes[0], sizes[1], sizes[2],
                    settings, Runtime.version(), Runtime.getRuntime().availableProcessors(), options.warmup(),
                    options.runs());
            for (int i = 0; i < options.warmup(); i++) {
                long nanos = job(ember, tasks);
                out.printf("warm-up %d: %s%n", i + 1, describe(tasks, nanos, ember));
            }
            List<List<Long>> times = new ArrayList<>();
            for (int size : sizes) {
                times.add(new ArrayList<>());
            }
            for (int run = 1; run <= options.runs(); run++) {
                out.printf("run %d/%d:%n", run, options.runs());
                for (int s = 0; s < sizes.length; s++) {
                    long nanos = job(ember, sizes[s]);
                    times.get(s).add(nanos);
                    out.printf("  %s%n", describe(sizes[s], nanos, ember));
                }
                out.flush();
            }
            long full = Samples.median(times.get(sizes.length - 1));
            out.printf(Locale.ROOT, "RESULT %s %d tasks/s%n", NAME, Math.round(tasks * 1e9 / full));
            for (int s = 0; s < sizes.length; s++) {
                out.printf(Locale.ROOT, "RESULT %s-cost-%d %.1f us%n", NAME, sizes[s],
                        Samples.median(times.get(s)) / 1000.0 / sizes[s]);
            }
            out.flush();
        }
    }

    /** One job of {@code tasks} no-op tasks; returns its time in nanoseconds. */
    private static long job(EmberContext ember, int tasks) {
        long start = System.nanoTime();
        ember.range(0, tasks, tasks).foreach(x -> { });
        return System.nanoTime() - start;
    }

    private static String describe(int tasks, long nanos, EmberContext ember) {
        JobSummary summary = ember.lastJobSummary().orElseThrow();
        return String.format(Locale.ROOT, "%d tasks in %d ms: %.1f us per task, %d tasks/s (%s)", tasks,
                TimeUnit.NANOSECONDS.toMillis(nanos), nanos / 1000.0 / tasks, Math.round(tasks * 1e9 / nanos), summary);
    }
}
