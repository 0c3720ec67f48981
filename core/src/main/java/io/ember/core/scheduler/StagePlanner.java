package io.ember.core.scheduler;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.FetchFailedException;
import io.ember.core.job.Job;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.JobResult;
import io.ember.core.job.JobSummary;
import io.ember.core.job.ShuffleInput;
import io.ember.core.job.Stage;
import io.ember.core.shuffle.MapOutputSnapshots;
import io.ember.core.shuffle.MapOutputTracker;
import io.ember.core.shuffle.MapOutputsRef;
import io.ember.core.shuffle.MapStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each job (one action) into stages and runs them through the {@link TaskScheduler}, as
 * Spark's DAG scheduler does: the job gets a {@link JobId}; the map stage of every shuffle it reads
 * whose output is missing runs first (recursively, parents first, only for the map partitions that
 * lack output), then the final stage with the map outputs' locations shipped with its code. When a
 * task cannot fetch a block ({@link FetchFailedException}), the map output it names is forgotten
 * (or all those served where the fetch failed, when that server is gone), its map partition runs
 * again, and the stage is submitted again, up to {@link #MAX_FETCH_RETRIES} times.
 *
 * <p>Every stage of a job carries the job's id, so under FIFO a job's later stages go ahead of a
 * later job's stages. While a job runs (its map stages included), the shuffles it reads are
 * <em>active</em>; the {@link ShuffleActivity} hears when a shuffle becomes active or inactive, and
 * of every map output that only its executor serves.
 *
 * <p>Stages run one after another on the caller's thread. Thread-safe: several threads may run jobs
 * at once; the map output tracker is shared by all of them.
 */
public final class StagePlanner {

    private static final Logger LOG = LoggerFactory.getLogger(StagePlanner.class);
    /** Resubmissions of one stage after fetch failures before its job fails. */
    static final int MAX_FETCH_RETRIES = 4;
    /**
     * Reruns of a map stage during which the driver forgot every map output (its application was
     * registered again after its session expired) before its results are kept as they are.
     */
    static final int MAX_RERUNS_AFTER_FORGETTING = 4;

    private final TaskScheduler scheduler;
    private final MapOutputTracker tracker;
    private final MapOutputSnapshots snapshots;
    private final ShuffleActivity activity;
    private final AtomicInteger nextJobId = new AtomicInteger();
    /** How many running jobs read each active shuffle; guarded by itself. */
    private final Map<Integer, Integer> readers = new HashMap<>();
    /** The shuffles whose map stage a job runs now, completed when it ends; guarded by itself. */
    private final Map<Integer, CompletableFuture<Void>> computing = new HashMap<>();

    /** Map outputs served to executors from a registry of its own (tests, whose tasks run in the driver). */
    public StagePlanner(TaskScheduler scheduler, MapOutputTracker tracker, ShuffleActivity activity) {
        this(scheduler, tracker, new MapOutputSnapshots(), activity);
    }

    /**
     * @param snapshots where the map outputs a reduce stage reads are served to its tasks while it runs
     */
    public StagePlanner(TaskScheduler scheduler, MapOutputTracker tracker, MapOutputSnapshots snapshots,
                        ShuffleActivity activity) {
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.tracker = requireNonNull(tracker, "tracker is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.activity = requireNonNull(activity, "activity is null");
    }

    /**
     * Cleans up a shuffle nothing in the driver references any more (the context cleaner found the
     * dataset that owned it unreachable, so no job can read it again): forgets its map outputs, asks
     * every executor (and through them their hosts' shuffle services, and through one of them every
     * service that holds outputs of it, on hosts without an executor too) to delete its files, and
     * tells the allocation policy.
     */
    public void removeShuffle(int shuffleId) {
        List<BlockLocation> services = tracker.serviceLocations(shuffleId);
        tracker.unregister(shuffleId);
        scheduler.removeShuffle(shuffleId, services);
        activity.shuffleRemoved(shuffleId);
    }

    /**
     * Runs a job, its missing map stages first, and waits for it.
     *
     * @param pool the scheduler pool its stages compete in
     * @param resultLoader resolves the classes of results and errors (the application's)
     * @return the final stage's results, in the order of the job's partitions, and the whole job's summary
     * @throws JobFailedException when a stage failed (a task failed too often, a fetch failed too
     *     often, ...) or the job was cancelled
     * @throws IllegalStateException when the scheduler is closed, or the caller was interrupted
     */
    public <R> JobResult<R> runJob(Job job, String pool, ClassLoader resultLoader) {
        requireNonNull(job, "job is null");
        TaskScheduler.checkPoolName(pool);
        requireNonNull(resultLoader, "resultLoader is null");
        JobId jobId = new JobId(nextJobId.getAndIncrement());
        Run run = new Run(jobId, pool, resultLoader);
        scheduler.jobStarted(jobId, job.description(), pool);
        boolean succeeded = false;
        try {
            List<R> results = run.stages(job);
            JobSummary summary = run.summary(job.description());
            LOG.info("Finished {}", summary);
            succeeded = true;
            return new JobResult<>(results, summary);
        } finally {
            scheduler.jobEnded(jobId, succeeded);
        }
    }

    /** One job's stages, run on its caller's thread, and what they took. */
    private final class Run {
        private final JobId jobId;
        private final String pool;
        private final ClassLoader resultLoader;
        private final long startNanos = System.nanoTime();
        private final Set<String> executors = new HashSet<>();
        private int stages;
        private int tasks;
        private int attempts;
        private int failedAttempts;
        private long cacheHits;
        private long cacheMisses;

        Run(JobId jobId, String pool, ClassLoader resultLoader) {
            this.jobId = jobId;
            this.pool = pool;
            this.resultLoader = resultLoader;
        }

        /** Runs {@code job}'s final stage after the map stages it needs. */
        <R> List<R> stages(Job job) {
            if (job.shuffles().isEmpty()) {
                return stage(job.finalStage());
            }
            List<Integer> read = job.shuffles().stream().map(ShuffleInput::shuffleId).distinct().toList();
            reading(read, 1);
            try {
                return stagesReading(job);
            } finally {
                reading(read, -1);
            }
        }

        private <R> List<R> stagesReading(Job job) {
            for (int retry = 0; ; retry++) {
                Map<Integer, MapOutputsRef> inputs = mapOutputs(job.shuffles(), job.description());
                Stage withInputs = new Stage(job.description(), new ShuffleInputsStage(job.code(), inputs),
                        job.partitions(), job.cachedDatasetIds());
                try {
                    return stage(withInputs);
                } catch (JobFailedException e) {
                    release(inputs);
                    inputs = Map.of();
                    if (!(e.getCause() instanceof FetchFailedException fetch) || retry >= MAX_FETCH_RETRIES) {
                        throw e;
                    }
                    if (fetch.locationLost()) {
                        int lost = tracker.locationsLost(location -> location.equals(fetch.location()));
                        LOG.warn("{} ({}): {}; the {} map output(s) served there are computed again, then this "
                                + "stage (retry {} of {})", jobId, job.description(), fetch.getMessage(), lost,
                                retry + 1, MAX_FETCH_RETRIES);
                    } else {
                        tracker.outputLost(fetch.block().shuffleId(), fetch.block().mapId());
                        LOG.warn("{} ({}): {}; its map task runs again, then this stage (retry {} of {})", jobId,
                                job.description(), fetch.getMessage(), retry + 1, MAX_FETCH_RETRIES);
                    }
                } finally {
                    release(inputs);
                }
            }
        }

        private void release(Map<Integer, MapOutputsRef> inputs) {
            inputs.values().forEach(snapshots::release);
        }

        /**
         * The outputs of every shuffle a stage reads, running the map stages of those that lack some.
         * A map stage another job runs already is waited for instead of run twice; when that job
         * fails, this one runs what is still missing.
         */
        private Map<Integer, MapOutputsRef> mapOutputs(List<? extends ShuffleInput> shuffles, String description) {
            Map<Integer, MapOutputsRef> outputs = new HashMap<>();
            try {
                for (ShuffleInput shuffle : shuffles) {
                    int id = shuffle.shuffleId();
                    tracker.register(id, shuffle.mapPartitions(), shuffle.reducePartitions());
                    while (!tracker.missing(id).isEmpty()) {
                        CompletableFuture<Void> mine = new CompletableFuture<>();
                        CompletableFuture<Void> running;
                        synchronized (computing) {
                            running = computing.putIfAbsent(id, mine);
                        }
                        if (running != null) {
                            LOG.info("{} ({}) waits for the map stage of shuffle {}, which another job runs", jobId,
                                    description, id);
                            awaitOtherJob(running);
                            continue;   // what it left missing (nothing, unless it failed), this job runs
                        }
                        try {
                            runMapStage(shuffle, description);
                        } finally {
                            synchronized (computing) {
                                computing.remove(id);
                            }
                            mine.complete(null);
                        }
                    }
                    outputs.put(id, snapshots.publish(tracker.snapshot(id)));
                }
                return outputs;
            } catch (RuntimeException | Error e) {
                release(outputs);
                throw e;
            }
        }

        private void awaitOtherJob(CompletableFuture<Void> running) {
            try {
                running.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(jobId + " was interrupted while it waited for a map stage", e);
            } catch (ExecutionException e) {
                throw new AssertionError("a map stage's future is only ever completed normally", e);
            }
        }

        /** Runs the map stage of {@code shuffle} for its missing map partitions and records their outputs. */
        private void runMapStage(ShuffleInput shuffle, String description) {
            int id = shuffle.shuffleId();
            List<Integer> missing = tracker.missing(id);
            for (int run = 0; !missing.isEmpty(); run++) {
                Job mapStage = new Job("map stage of shuffle " + id + " for " + description, shuffle.mapStage(),
                        missing.stream().mapToInt(Integer::intValue).toArray(), shuffle.mapCachedDatasetIds(),
                        shuffle.mapInputs());
                long forgettings = tracker.forgettings();
                List<MapStatus> written = stages(mapStage);
                if (tracker.forgettings() != forgettings && run < MAX_RERUNS_AFTER_FORGETTING) {
                    // Every output was forgotten while it ran, some of its own among them: run it again.
                    LOG.warn("{} ({}): every map output was forgotten while the map stage of shuffle {} ran; it "
                            + "runs again", jobId, description, id);
                    missing = tracker.missing(id);
                    continue;
                }
                long bytes = 0;
                int spills = 0;
                for (MapStatus status : written) {
                    tracker.add(id, status);
                    if (!status.outlivesExecutor()) {
                        activity.executorOutput(status.location().executorId(), id);
                    }
                    bytes += status.bytes();
                    spills += status.spills();
                }
                LOG.info("Map stage of shuffle {} ({}): {} task(s) wrote {} bytes for {} reduce partitions, "
                        + "spilling to disk {} time(s) on the way", id, jobId, written.size(), bytes,
                        shuffle.reducePartitions(), spills);
                missing = List.of();
            }
        }

        private <R> List<R> stage(Stage stage) {
            StageResult<R> result = scheduler.runStage(jobId, stage, pool, resultLoader);
            stages++;
            tasks += result.tasks();
            attempts += result.attempts();
            failedAttempts += result.failedAttempts();
            executors.addAll(result.executorIds());
            cacheHits += result.cacheHits();
            cacheMisses += result.cacheMisses();
            return result.results();
        }

        JobSummary summary(String description) {
            return new JobSummary(jobId, description, stages, tasks, attempts, failedAttempts, executors.size(),
                    cacheHits, cacheMisses, Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }

    private void reading(List<Integer> shuffleIds, int change) {
        synchronized (readers) {
            for (int id : shuffleIds) {
                int now = readers.merge(id, change, Integer::sum);
                if (now == 0) {
                    readers.remove(id);
                    activity.shuffleActive(id, false);
                } else if (now == 1 && change > 0) {
                    activity.shuffleActive(id, true);
                }
            }
        }
    }
}
