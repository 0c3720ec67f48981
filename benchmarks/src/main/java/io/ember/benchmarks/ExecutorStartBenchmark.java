package io.ember.benchmarks;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.scheduler.SchedulingPolicy;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.bootstrap.EmberEnvironment;
import io.ember.core.bootstrap.LaunchContext;
import io.ember.core.driver.EmberContext;
import io.ember.core.local.LocalCluster;
import io.ember.core.worker.ExecutorProcess;
import io.ember.core.worker.WorkerServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code executor-start}: from application registration to 2 executors registered, on
 * {@code local-cluster[2,1]}, in milliseconds.
 *
 * <p>One {@link LocalCluster} of 2 workers with 1 core each (embedded ZooKeeper, master and workers
 * in this JVM, executors as real JVM processes) serves every run. A run builds an
 * {@link EmberContext} for 2 executors against it, which registers the application inside
 * {@code build()}; it is timed from just before {@code build()} to {@code awaitExecutors(2)}
 * returning, that is until both executor JVMs are up and the driver has registered their streams.
 * Then the context is closed and the next run starts only once both executor processes have exited.
 * Executors get a 256m heap ({@code ember.executor.memory}; the default is 1g): the heap is
 * reserved, not committed, so this only keeps the machine light and does not change the start-up
 * path.
 *
 * <p>Usage: {@code ExecutorStartBenchmark [--runs N] [--warmup N] [--set key=value]...} (default 5
 * runs after 1 warm-up; {@code --set} settings apply to the cluster and the application, e.g.
 * {@code ember.executor.javaOptions}). Prints each run with its timeline, the median of each phase,
 * and {@code RESULT executor-start <median> ms}.
 */
public final class ExecutorStartBenchmark {

    static final String NAME = "executor-start";

    private static final int WORKERS = 2;
    private static final int CORES_PER_WORKER = 1;
    private static final int EXECUTORS = 2;
    private static final String EXECUTOR_MEMORY = "256m";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** How long to wait for an executor's own registration line once the driver has registered it. */
    private static final Duration EXECUTOR_LOG_WAIT = Duration.ofSeconds(5);

    private ExecutorStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        run(WorkloadOptions.parseOrExit(NAME, args, new WorkloadOptions(5, 1)), System.out);
    }

    static void run(WorkloadOptions options, PrintStream out) throws TimeoutException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ember.executor.memory", EXECUTOR_MEMORY);
        settings.putAll(options.settings());
        try (EmberEnvironment environment = new Bootstrap(new LaunchContext(Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), settings)).load();
             LocalCluster cluster = LocalCluster.start(WORKERS, CORES_PER_WORKER, environment.config(),
                     scheduler(environment));
             LogCapture capture = LogCapture.of(ExecutorStartTimeline.LOGGERS)) {
            out.printf("%s: local-cluster[%d,%d], %d executors, settings %s; Java %s, %d CPU(s); %d warm-up + %d runs%n",
                    NAME, WORKERS, CORES_PER_WORKER, EXECUTORS, settings, Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), options.warmup(), options.runs());
            Samples samples = new Samples(NAME);
            Map<String, List<Long>> phases = new LinkedHashMap<>();
            for (int i = 0; i < options.warmup() + options.runs(); i++) {
                boolean warmup = i < options.warmup();
                ExecutorStartTimeline run = once(cluster, capture, settings, "executor-start-" + (i + 1));
                out.printf("%s: %s%n", warmup ? "warm-up " + (i + 1) : "run " + (i + 1 - options.warmup()) + "/"
                        + options.runs(), run.describe());
                out.flush();
                if (!warmup) {
                    samples.add(run.total());
                    for (ExecutorStartTimeline.Phase phase : run.phases()) {
                        phases.computeIfAbsent(phase.name(), name -> new ArrayList<>()).add(phase.millis());
                    }
                }
            }
            out.println("where the time goes (median over the runs):");
            for (String phase : ExecutorStartTimeline.PHASES) {
                List<Long> values = phases.get(phase);
                out.printf("  %-72s %s%n", phase, values == null ? "?" : Samples.median(values) + " ms");
            }
            samples.print(out);
        }
    }

    /** One run: start the application, wait for its executors, stop it, wait until they are gone. */
    private static ExecutorStartTimeline once(LocalCluster cluster, LogCapture capture, Map<String, String> settings,
                                              String appName) throws TimeoutException {
        capture.clear();
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        EmberContext context = EmberContext.builder().isolated()
                .setAll(settings)
                .master(cluster.masterUrl())
                .appName(appName)
                .set("ember.executor.instances", Integer.toString(EXECUTORS))
                .build();
        long built = System.nanoTime();
        ExecutorStartTimeline timeline;
        try {
            List<ExecutorInfo> executors = context.awaitExecutors(EXECUTORS, START_TIMEOUT);
            long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long returnedMillis = System.currentTimeMillis();
            long builtMillis = startMillis + TimeUnit.NANOSECONDS.toMillis(built - start);
            // Read the executors' own logs now: their work directories go with the application.
            Map<String, String> logs = executorLogs(cluster, context.applicationId(), executors);
            timeline = ExecutorStartTimeline.of(startMillis, builtMillis, returnedMillis, total, context.applicationId(),
                    executors.stream().map(ExecutorInfo::executorId).sorted().toList(), capture.lines(), logs);
        } finally {
            context.close();
        }
        List<Long> pids = timeline.pids();
        Poll.until("the executors of " + appName + " to exit", STOP_TIMEOUT, () ->
                pids.stream().noneMatch(ExecutorStartBenchmark::alive)
                        && cluster.workers().stream().allMatch(worker -> worker.executors().isEmpty()));
        return timeline;
    }

    /** Each executor's stderr, once it holds the executor's registration line (or after a few seconds). */
    private static Map<String, String> executorLogs(LocalCluster cluster, String appId, List<ExecutorInfo> executors) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (ExecutorInfo executor : executors) {
            cluster.workers().stream().filter(worker -> worker.workerId().equals(executor.workerId())).findFirst()
                    .map(WorkerServer::options)
                    .ifPresent(options -> files.put(executor.executorId(), options.workDir().resolve(appId)
                            .resolve(executor.executorId()).resolve(ExecutorProcess.STDERR)));
        }
        Poll.tryUntil(EXECUTOR_LOG_WAIT, () -> files.values().stream()
                .allMatch(file -> ExecutorStartTimeline.hasRegistrationLine(ExecutorStartTimeline.read(file))));
        Map<String, String> logs = new LinkedHashMap<>();
        files.forEach((id, file) -> logs.put(id, ExecutorStartTimeline.read(file)));
        return logs;
    }

    private static SchedulingPolicy scheduler(EmberEnvironment environment) {
        SchedulerFactory factory = environment.selected().scheduler();
        return factory.create(environment.config().policy(PolicyKind.SCHEDULER, factory.name()));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
