package io.ember.benchmarks;

import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.driver.EmberContext;
import io.ember.core.local.LocalCluster;
import io.ember.core.scheduler.SchedulerListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Dynamic allocation on {@code local-cluster[2,1]} (embedded ZooKeeper, master and workers in this
 * JVM, executors as real processes), one application per run, in milliseconds:
 * <ul>
 *   <li>{@code dynalloc-first-task}: minExecutors 0, initialExecutors 0, maxExecutors 2,
 *       schedulerBacklogTimeout 1s. From submitting a job of 8 tasks that each sleep 2 s to its
 *       first task starting (the driver's launch time of the task): the backlog timeout, the
 *       executor's start and the first launch.</li>
 *   <li>{@code dynalloc-release}: the same bounds with schedulerBacklogTimeout 200ms and
 *       executorIdleTimeout 5s. A job of 4 tasks of 1 s runs on the executors its backlog brought;
 *       from the job's end (the action returning) to the driver having seen its last executor
 *       leave: the idle timeout, the release decision, the kill and the process's exit.</li>
 * </ul>
 * Before each run the previous application's executors have exited. Usage:
 * {@code DynamicAllocationBenchmarks dynalloc-first-task|dynalloc-release [--runs N] [--warmup N]
 * [--set key=value]...}; prints each run and {@code RESULT <name> <median> ms}.
 */
public final class DynamicAllocationBenchmarks {

    static final String FIRST_TASK = "dynalloc-first-task";
    static final String RELEASE = "dynalloc-release";

    private static final String PREFIX = "ember.allocation.dynamic.";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private DynamicAllocationBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals(FIRST_TASK) || args[0].equals(RELEASE))) {
            System.err.println("usage: DynamicAllocationBenchmarks " + FIRST_TASK + "|" + RELEASE + " "
                    + WorkloadOptions.USAGE);
            System.exit(2);
        }
        String name = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        WorkloadOptions options = WorkloadOptions.parseOrExit(name, rest, new WorkloadOptions(3, 1));
        run(name, options, System.out);
    }

    static void run(String name, WorkloadOptions options, PrintStream out) throws TimeoutException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ember.executor.memory", "256m");
        settings.put("ember.allocation", "dynamic");
        settings.put(PREFIX + "minExecutors", "0");
        settings.put(PREFIX + "initialExecutors", "0");
        settings.put(PREFIX + "maxExecutors", "2");
        if (name.equals(FIRST_TASK)) {
            settings.put(PREFIX + "schedulerBacklogTimeout", "1s");
        } else {
            settings.put(PREFIX + "schedulerBacklogTimeout", "200ms");
            settings.put(PREFIX + "executorIdleTimeout", "5s");
        }
        settings.putAll(options.settings());
        try (EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), settings)).load();
             LocalCluster cluster = LocalCluster.start(2, 1, environment.config(), scheduler(environment))) {
            out.printf("%s: local-cluster[2,1], settings %s; Java %s, %d CPU(s); %d warm-up + %d runs%n", name, settings,
                    Runtime.version(), Runtime.getRuntime().availableProcessors(), options.warmup(), options.runs());
            Samples samples = new Samples(name);
            for (int i = 0; i < options.warmup() + options.runs(); i++) {
                boolean warmup = i < options.warmup();
                long millis = name.equals(FIRST_TASK) ? firstTask(cluster, settings, name + "-" + (i + 1))
                        : release(cluster, settings, name + "-" + (i + 1));
                out.printf("%s: %d ms%n", warmup ? "warm-up " + (i + 1)
                        : "run " + (i + 1 - options.warmup()) + "/" + options.runs(), millis);
                out.flush();
                if (!warmup) {
                    samples.add(millis);
                }
                awaitNoExecutors(cluster);
            }
            samples.print(out);
        }
    }

    /** Submits 8 tasks of 2 s and returns the milliseconds until the first one was launched. */
    private static long firstTask(LocalCluster cluster, Map<String, String> settings, String appName)
            throws TimeoutException {
        try (EmberContext ember = context(cluster, settings, appName)) {
            AtomicLong firstStart = new AtomicLong();
            ember.addListener(new SchedulerListener() {
                @Override
                public void onTaskStart(TaskStart event) {
                    firstStart.compareAndSet(0, event.timeMillis());
                }
            });
            long submitted = System.currentTimeMillis();
            CompletableFuture<List<Long>> job = CompletableFuture.supplyAsync(() -> sleepingTasks(ember, 8, 2_000));
            Poll.until("the first task to start", TIMEOUT, () -> firstStart.get() != 0);
            join(job);
            return firstStart.get() - submitted;
        }
    }

    /** Runs 4 tasks of 1 s and returns the milliseconds from the job's end until no executor is left. */
    private static long release(LocalCluster cluster, Map<String, String> settings, String appName)
            throws TimeoutException {
        try (EmberContext ember = context(cluster, settings, appName)) {
            sleepingTasks(ember, 4, 1_000);
            long ended = System.nanoTime();
            Poll.until("every executor to be released", TIMEOUT, () -> ember.getExecutorIds().isEmpty());
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ended);
        }
    }

    private static EmberContext context(LocalCluster cluster, Map<String, String> settings, String appName) {
        return EmberContext.builder().isolated().setAll(settings).master(cluster.masterUrl()).appName(appName).build();
    }

    private static List<Long> sleepingTasks(EmberContext ember, int tasks, long millis) {
        return ember.range(0, tasks, tasks).map(i -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
            return i;
        }).collect();
    }

    private static void join(CompletableFuture<?> job) throws TimeoutException {
        try {
            job.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the job failed", e.getCause());
        }
    }

    private static void awaitNoExecutors(LocalCluster cluster) throws TimeoutException {
        Poll.until("the previous application's executors to exit", TIMEOUT,
                () -> cluster.workers().stream().allMatch(worker -> worker.executors().isEmpty()));
    }

    private static SchedulingPolicy scheduler(EmberEnvironment environment) {
        SchedulerFactory factory = environment.selected().scheduler();
        return factory.create(environment.config().policy(PolicyKind.SCHEDULER, factory.name()));
    }
}
