package io.ember.examples;

import io.ember.api.plugin.PolicyKind;
import io.ember.core.driver.EmberContext;
import io.ember.core.files.FileTrees;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A short job arrives while a long one runs: which finishes first is the scheduling policy's call.
 *
 * <p>A long job of {@code longTasks} tasks starts on a thread of its own; once its first task has
 * started, the main thread submits a short job of {@code shortTasks} tasks. Every task only waits
 * {@code taskMillis}. Under {@code fifo}, Ember's default, the earlier job keeps every free core
 * until all its tasks have started, so the short job finishes last. Under {@code shortest-first}
 * (the example plugin shipped in {@code examples/plugins/shortest-first-scheduler}; see
 * {@code docs/writing-a-plugin.md}) the task set with the fewest remaining tasks goes first, so the
 * short job takes the next free cores and finishes long before the long one.
 *
 * <p>Usage: {@code ShortestFirst [longTasks [shortTasks [taskMillis]]]} (defaults
 * {@value #DEFAULT_LONG_TASKS}, {@value #DEFAULT_SHORT_TASKS}, {@value #DEFAULT_TASK_MILLIS}). Prints
 * how long each job took from its submission and which finished first, under which scheduler:
 * <pre>
 * bin/ember run-example ShortestFirst
 * bin/ember run-example --conf ember.scheduler=shortest-first ShortestFirst
 * </pre>
 *
 * <p>The long job's tasks mark their start with a file in a temporary directory the driver
 * creates and watches, which executors on the driver's machine see ({@code local[N]},
 * {@code local-cluster[W,C]}). On a cluster of several machines without a shared file system no
 * marker shows, and the driver submits the short job after {@value #START_WAIT_SECONDS} s anyway.
 */
public final class ShortestFirst {

    /** Tasks of the long job when no argument is given. */
    static final int DEFAULT_LONG_TASKS = 40;

    /** Tasks of the short job when no argument is given. */
    static final int DEFAULT_SHORT_TASKS = 2;

    /** How long each task takes when no argument is given. */
    static final long DEFAULT_TASK_MILLIS = 100;

    /** How long the driver waits for the long job's first task to start. */
    static final long START_WAIT_SECONDS = 60;

    private static final String LONG_JOB = "the long job";
    private static final String SHORT_JOB = "the short job";

    private ShortestFirst() {
    }

    public static void main(String[] args) {
        if (args.length > 3) {
            throw new IllegalArgumentException("usage: ShortestFirst [longTasks [shortTasks [taskMillis]]]; got "
                    + args.length + " arguments");
        }
        int longTasks = args.length > 0 ? positive("longTasks", args[0]) : DEFAULT_LONG_TASKS;
        int shortTasks = args.length > 1 ? positive("shortTasks", args[1]) : DEFAULT_SHORT_TASKS;
        long taskMillis = args.length > 2 ? positive("taskMillis", args[2]) : DEFAULT_TASK_MILLIS;
        try (EmberContext ember = ExampleContexts.start("ShortestFirst")) {
            ExampleContexts.awaitExecutors(ember);
            run(ember, longTasks, shortTasks, taskMillis, System.out);
        }
    }

    /**
     * Runs the two jobs and prints what happened.
     *
     * @return the jobs in the order they finished: {@code "the long job"}, {@code "the short job"}
     */
    static List<String> run(EmberContext ember, int longTasks, int shortTasks, long taskMillis, PrintStream out) {
        Path markers = createMarkerDirectory();
        try {
            return race(ember, markers, longTasks, shortTasks, taskMillis, out);
        } finally {
            deleteRecursively(markers);
        }
    }

    private static List<String> race(EmberContext ember, Path markers, int longTasks, int shortTasks,
                                     long taskMillis, PrintStream out) {
        List<String> finished = Collections.synchronizedList(new ArrayList<>());
        String markerDir = markers.toString();   // a Path is not serializable; the tasks get the text
        out.printf(Locale.ROOT, "Long job: %d tasks of %d ms, submitted first; short job: %d tasks of %d ms, "
                + "submitted once the long job's first task has started%n", longTasks, taskMillis, shortTasks, taskMillis);

        long longStart = System.nanoTime();
        CompletableFuture<Long> longJob = new CompletableFuture<>();
        Thread longThread = new Thread(() -> {
            try {
                ember.range(0, longTasks, longTasks)
                        .map(partition -> {
                            Files.write(Path.of(markerDir, "long-" + partition), new byte[0]);   // "started"
                            work(taskMillis);
                            return partition;
                        })
                        .count();
                finished.add(LONG_JOB);
                longJob.complete(System.nanoTime() - longStart);
            } catch (Throwable t) {
                longJob.completeExceptionally(t);
            }
        }, "long-job");
        longThread.setDaemon(true);
        longThread.start();

        if (!awaitFirstMarker(markers, longJob)) {
            System.err.printf(Locale.ROOT, "warning: no task of the long job was seen starting (on a cluster of "
                    + "several machines this needs a shared file system); submitting the short job anyway%n");
        }
        long shortStart = System.nanoTime();
        ember.range(0, shortTasks, shortTasks).map(partition -> {
            work(taskMillis);
            return partition;
        }).count();
        finished.add(SHORT_JOB);
        long shortNanos = System.nanoTime() - shortStart;
        long longNanos = join(longJob);

        List<String> order = List.copyOf(finished);
        out.printf(Locale.ROOT, "The short job finished %d ms after it was submitted%n", shortNanos / 1_000_000);
        out.printf(Locale.ROOT, "The long job finished %d ms after it was submitted%n", longNanos / 1_000_000);
        out.printf(Locale.ROOT, "Finished first: %s (scheduler: %s)%n", order.get(0),
                ember.config().selected(PolicyKind.SCHEDULER));
        out.flush();
        return order;
    }

    /** A task's whole work: waiting, as a stand-in for computing. */
    private static void work(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = millis * 1_000_000; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * Whether a marker appeared within {@value #START_WAIT_SECONDS} s; false as soon as the long job
     * has ended without one, and its error if it failed.
     */
    private static boolean awaitFirstMarker(Path markers, CompletableFuture<Long> longJob) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            boolean longJobEnded = longJob.isDone();
            if (longJobEnded) {
                join(longJob);
            }
            try (Stream<Path> files = Files.list(markers)) {
                if (files.findAny().isPresent()) {
                    return true;
                }
                if (longJobEnded) {
                    return false;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the marker directory " + markers + ": " + e.getMessage(), e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return false;
    }

    private static long join(CompletableFuture<Long> job) {
        try {
            return job.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private static Path createMarkerDirectory() {
        try {
            return Files.createTempDirectory("ember-shortest-first");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the task markers: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the marker directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int positive(String name, String arg) {
        try {
            int value = Integer.parseInt(arg.strip());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number of at least 1: '" + arg + "'");
    }
}
