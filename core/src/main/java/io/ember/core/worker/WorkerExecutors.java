package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.concurrent.Threads;
import io.ember.core.executor.ExecutorArguments;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executors one worker runs, and what the leader's commands do to them, in the worker's own
 * types: a launch places the executor ({@link ExecutorCommands}) and starts it, once; a kill stops
 * one; an application's end stops its executors, then has the shuffle service forget the
 * application and deletes its work directories unless {@code ember.worker.keepWorkDirs}. Each
 * executor's reports go to the leader ({@link ExecutorRunner} says which and when). For the worker's
 * web UI it also remembers the last {@value #RETAINED_ENDED} executors that ended (their logs stay
 * readable until their application's directories are deleted) and counts launches and ends.
 *
 * <p>Thread-safe: commands come on RPC threads and return at once; process work runs on the
 * worker's own threads ({@code ember-worker-process-N}).
 */
final class WorkerExecutors {

    /** Logs as the worker did before its executors were split out: operators know these lines as the worker's. */
    private static final Logger log = LoggerFactory.getLogger(WorkerServer.class);

    private final String workerId;
    private final WorkerOptions options;
    private final WorkerShuffle shuffle;
    private final int shufflePort;
    private final Optional<ShuffleServiceHost> shuffleService;
    private final Consumer<ExecutorReport> reports;
    private final BooleanSupplier stopping;
    private final ExecutorLauncher launcher;
    private final ExecutorClassDataArchive classDataArchive;
    private final ExecutorService processThreads;
    private final ConcurrentMap<Key, ExecutorRunner> executors = new ConcurrentHashMap<>();
    /** The executors that ended, newest first; guarded by itself. */
    private final Deque<ExecutorRunner> ended = new ArrayDeque<>();
    private final LongAdder launched = new LongAdder();
    private final Map<ExecutorReport.Status, LongAdder> endedByStatus = new EnumMap<>(ExecutorReport.Status.class);
    private final Clock clock;

    /**
     * The clean-ups of finished applications not done yet, by application: an executor launched for
     * an application registered again meanwhile starts only once its clean-up is done, so that the
     * clean-up neither deletes the new executor's directories nor makes the shuffle service forget it.
     */
    private final Map<String, CompletableFuture<?>> cleanups = new ConcurrentHashMap<>();
    /** The clean-up after the latest finished application; completes once its work directories are dealt with. */
    private volatile CompletableFuture<Void> lastApplicationCleanup = CompletableFuture.completedFuture(null);

    private record Key(String appId, String executorId) {}

    /** How many ended executors the web UI still shows, newest first. */
    static final int RETAINED_ENDED = 100;

    /**
     * @param shufflePort the port of the host's shuffle service the executors use, 0 for none
     * @param shuffleService the service this worker embeds, told when an application finished
     * @param reports receives every executor's state changes, in order for each executor; must not block
     * @param stopping whether the worker is stopping (then it launches nothing more)
     */
    WorkerExecutors(String workerId, WorkerOptions options, WorkerShuffle shuffle, int shufflePort,
            Optional<ShuffleServiceHost> shuffleService, Consumer<ExecutorReport> reports, BooleanSupplier stopping) {
        this.workerId = requireNonNull(workerId, "workerId is null");
        this.options = requireNonNull(options, "options is null");
        this.shuffle = requireNonNull(shuffle, "shuffle is null");
        this.shufflePort = shufflePort;
        this.shuffleService = requireNonNull(shuffleService, "shuffleService is null");
        this.reports = requireNonNull(reports, "reports is null");
        this.stopping = requireNonNull(stopping, "stopping is null");
        this.launcher = new ExecutorLauncher(new WorkDirectories(options.workDir()));
        this.classDataArchive = new ExecutorClassDataArchive(options.classDataDir(),
                options.javaExecutable(), options.classPath(), options.executorJavaOptions());
        this.processThreads = Executors.newCachedThreadPool(Threads.numberedDaemons("ember-worker-process-"));
        this.clock = Clock.systemUTC();
        for (ExecutorReport.Status status : ExecutorReport.Status.values()) {
            endedByStatus.put(status, new LongAdder());
        }
    }

    /**
     * Places {@code requested} on this worker and starts it in the background, unless it runs already.
     *
     * @throws IllegalArgumentException when the request is malformed ({@link ExecutorCommands#placed})
     * @throws WorkerStoppingException when the worker is stopping
     */
    void launch(ExecutorAssignment requested, ApplicationSettings app) {
        ExecutorAssignment executor = ExecutorCommands.placed(requested, app, workerId, options);
        String appId = executor.appId();
        String executorId = executor.executorId();
        ExecutorArguments arguments = ExecutorCommands.arguments(executor, app, options, shuffle, shufflePort);
        ExecutorClassDataArchive.Launch classData = classDataArchive.nextLaunch();
        ExecutorCommand command = ExecutorCommands.executorCommand(options, arguments, executor.memoryBytes(),
                classData.jvmOptions(), ExecutorCommands.applicationJavaOptions(executor, app));

        Key key = new Key(appId, executorId);
        if (stopping.getAsBoolean()) {
            throw new WorkerStoppingException(workerId);
        }
        ExecutorRunner runner = new ExecutorRunner(executor, options.advertisedHost(), command, launcher, processThreads,
                reports, finished -> {
                    if (executors.remove(key, finished)) {
                        remember(finished);
                    }
                },
                classData.buildsArchive() ? ExecutorRunner.ARCHIVE_STOP_GRACE : ExecutorRunner.STOP_GRACE, clock);
        if (executors.putIfAbsent(key, runner) != null) {
            log.debug("Executor {} of application {} already runs here; LaunchExecutor ignored", executorId, appId);
            return;
        }
        if (stopping.getAsBoolean()) {   // stopAll() may have missed it: it must not start
            runner.kill();
            runner.start();
            throw new WorkerStoppingException(workerId);
        }
        if (classData.buildsArchive()) {
            runner.finished().thenAccept(state -> classDataArchive.builderExited(state.exitCode()));
        }
        launched.increment();
        CompletableFuture<?> cleanup = cleanups.get(appId);
        if (cleanup != null && !cleanup.isDone()) {
            log.info("Executor {} of application {} starts once the clean-up of the application's earlier executors "
                    + "here is done (the application was registered again)", executorId, appId);
            cleanup.whenComplete((done, error) -> runner.start());
        } else {
            runner.start();
        }
    }

    /** Keeps an executor that ended among the ones the web UI shows, and counts how it ended. */
    private void remember(ExecutorRunner finished) {
        endedByStatus.get(ExecutorReport.Status.valueOf(finished.snapshot().state())).increment();
        synchronized (ended) {
            ended.addFirst(finished);
            if (ended.size() > RETAINED_ENDED) {
                ended.removeLast();
            }
        }
    }

    /** Every executor launching or running, then the ones that ended, newest first, as the web UI shows them. */
    List<ExecutorRunner.Snapshot> snapshots() {
        List<ExecutorRunner.Snapshot> snapshots = new ArrayList<>();
        for (ExecutorRunner runner : executors.values()) {
            snapshots.add(runner.snapshot());
        }
        snapshots.sort(Comparator.comparing(ExecutorRunner.Snapshot::launchedAt));
        synchronized (ended) {
            for (ExecutorRunner runner : ended) {
                snapshots.add(runner.snapshot());
            }
        }
        return snapshots;
    }

    /** One executor this worker launched (running, or among the ended ones it remembers). */
    Optional<ExecutorRunner.Snapshot> snapshot(String appId, String executorId) {
        ExecutorRunner running = executors.get(new Key(appId, executorId));
        if (running != null) {
            return Optional.of(running.snapshot());
        }
        synchronized (ended) {
            return ended.stream().filter(r -> r.appId().equals(appId) && r.executorId().equals(executorId))
                    .findFirst().map(ExecutorRunner::snapshot);
        }
    }

    /** Executors launched so far. */
    long launchedCount() {
        return launched.sum();
    }

    /** Executors that ended so far, by how: exited, failed, killed (never launching or running). */
    Map<ExecutorReport.Status, Long> endedCounts() {
        Map<ExecutorReport.Status, Long> counts = new EnumMap<>(ExecutorReport.Status.class);
        for (ExecutorReport.Status status : List.of(ExecutorReport.Status.EXITED, ExecutorReport.Status.FAILED,
                ExecutorReport.Status.KILLED)) {
            counts.put(status, endedByStatus.get(status).sum());
        }
        return counts;
    }

    /** Stops one executor (in the background); nothing when this worker does not run it. */
    void kill(String appId, String executorId) {
        ExecutorRunner runner = executors.get(new Key(appId, executorId));
        if (runner == null) {
            log.debug("KillExecutor for executor {} of application {}, which this worker does not run",
                    executorId, appId);
            return;
        }
        runner.kill();
    }

    /**
     * Stops the application's executors, then (in the background) has the shuffle service forget it
     * and deletes its work directories unless they are kept.
     *
     * @throws IllegalArgumentException when the id is not a safe directory name
     */
    void applicationFinished(String appId) {
        WorkDirectories.checkId("application id", appId);
        List<ExecutorRunner> runners = executors.values().stream().filter(r -> r.appId().equals(appId)).toList();
        log.info("Application {} finished: worker {} stops its {} executor(s){}", appId, workerId, runners.size(),
                options.keepWorkDirs() ? " and keeps their work directories" : " and deletes their work directories");
        CompletableFuture<?>[] stopped = runners.stream().map(ExecutorRunner::kill).toArray(CompletableFuture[]::new);
        CompletableFuture<Void> cleanup = new CompletableFuture<>();
        cleanups.put(appId, cleanup);
        lastApplicationCleanup = cleanup;
        CompletableFuture.allOf(stopped).whenCompleteAsync((done, error) -> {
            shuffleService.ifPresent(s -> s.applicationRemoved(appId));
            if (!options.keepWorkDirs()) {
                try {
                    launcher.workDirectories().deleteApplication(appId);
                } catch (IOException | RuntimeException e) {
                    log.warn("Worker {} could not delete the work directories of application {}: {}", workerId, appId,
                            e.getMessage());
                }
            }
        }, processThreads).whenComplete((done, error) -> {
            cleanups.remove(appId, cleanup);
            cleanup.complete(null);
        });
    }

    /** The executors launching or running now, as the leader is told on registration. */
    List<ExecutorReport> live() {
        List<ExecutorReport> live = new ArrayList<>();
        for (ExecutorRunner runner : executors.values()) {
            runner.liveState().ifPresent(live::add);
        }
        return live;
    }

    /** The executors launching or running now, as the worker shows them. */
    List<ExecutorInfo> infos() {
        List<ExecutorInfo> running = new ArrayList<>();
        for (ExecutorRunner runner : executors.values()) {
            if (runner.liveState().isPresent()) {
                running.add(runner.info());
            }
        }
        return List.copyOf(running);
    }

    /**
     * Stops every executor and waits for them to exit (the longest stop grace and a margin),
     * then the process threads. Call once the worker is {@code stopping}.
     */
    void stopAll() {
        List<CompletableFuture<ExecutorReport>> stopped = executors.values().stream().map(ExecutorRunner::kill)
                .toList();
        if (!stopped.isEmpty()) {
            log.info("Worker {} stopping its {} executor(s)", workerId, stopped.size());
        }
        try {
            CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new))
                    .get(ExecutorRunner.ARCHIVE_STOP_GRACE.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("Worker {} could not confirm that all its executors stopped: {}", workerId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processThreads.shutdownNow();
    }

    /** Completes once the latest finished application's executors stopped and its directories were dealt with. */
    CompletableFuture<Void> lastApplicationCleanup() {
        return lastApplicationCleanup;
    }
}
