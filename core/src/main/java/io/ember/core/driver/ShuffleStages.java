package io.ember.core.driver;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.FetchFailedException;
import io.ember.core.dataset.Job;
import io.ember.core.dataset.JobFailedException;
import io.ember.core.dataset.JobResult;
import io.ember.core.dataset.ShuffleDependency;
import io.ember.core.dataset.ShuffleInputsStage;
import io.ember.core.shuffle.MapOutputTracker;
import io.ember.core.shuffle.MapStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job whose dataset reads shuffles: first the map stage of every shuffle whose output is
 * missing (recursively, parents first), only for the map partitions that lack output, then the job
 * itself with the map outputs' locations shipped with its code. When a task cannot fetch a block
 * ({@link FetchFailedException}), the map output it names is forgotten, its map partition runs
 * again, and the job is submitted again, up to {@link #MAX_FETCH_RETRIES} times.
 *
 * <p>While a job runs (its map stages included), the shuffles it reads are <em>active</em>; the
 * {@link ShuffleActivity} hears when a shuffle becomes active or inactive, and of every map output
 * that only its executor serves.
 *
 * <p>Stages run one after another on the caller's thread, each as a job of the task scheduler, so
 * pools and retries apply to map stages too. Thread-safe: the tracker is shared by all jobs.
 */
final class ShuffleStages {

    private static final Logger LOG = LoggerFactory.getLogger(ShuffleStages.class);
    /** Resubmissions of one stage after fetch failures before its job fails. */
    static final int MAX_FETCH_RETRIES = 4;

    private final MapOutputTracker tracker;
    private final ShuffleActivity activity;
    /** How many running jobs read each active shuffle; guarded by itself. */
    private final Map<Integer, Integer> readers = new HashMap<>();

    ShuffleStages(MapOutputTracker tracker, ShuffleActivity activity) {
        this.tracker = requireNonNull(tracker, "tracker is null");
        this.activity = requireNonNull(activity, "activity is null");
    }

    /** Runs {@code job} through {@code runner}, after the map stages it needs. */
    <R> JobResult<R> run(Job job, Function<Job, JobResult<?>> runner) {
        requireNonNull(job, "job is null");
        requireNonNull(runner, "runner is null");
        if (job.shuffles().isEmpty()) {
            return cast(runner.apply(job));
        }
        List<Integer> read = job.shuffles().stream().map(ShuffleDependency::shuffleId).distinct().toList();
        reading(read, 1);
        try {
            return runReading(job, runner);
        } finally {
            reading(read, -1);
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

    private <R> JobResult<R> runReading(Job job, Function<Job, JobResult<?>> runner) {
        for (int retry = 0; ; retry++) {
            Map<Integer, MapStatus[]> inputs = mapOutputs(job.shuffles(), job.description(), runner);
            Job withInputs = new Job(job.description(), new ShuffleInputsStage(job.code(), inputs), job.partitions(),
                    job.cachedDatasetIds(), job.shuffles());
            try {
                return cast(runner.apply(withInputs));
            } catch (JobFailedException e) {
                if (!(e.getCause() instanceof FetchFailedException fetch) || retry >= MAX_FETCH_RETRIES) {
                    throw e;
                }
                if (fetch.locationLost()) {
                    int lost = tracker.locationsLost(location -> location.equals(fetch.location()));
                    LOG.warn("{}: {}; the {} map output(s) served there are computed again, then this stage "
                            + "(retry {} of {})", job.description(), fetch.getMessage(), lost, retry + 1,
                            MAX_FETCH_RETRIES);
                } else {
                    tracker.outputLost(fetch.block().shuffleId(), fetch.block().mapId());
                    LOG.warn("{}: {}; its map task runs again, then this stage (retry {} of {})", job.description(),
                            fetch.getMessage(), retry + 1, MAX_FETCH_RETRIES);
                }
            }
        }
    }

    /** The outputs of every shuffle a stage reads, running the map stages of those that lack some. */
    private Map<Integer, MapStatus[]> mapOutputs(List<ShuffleDependency<?, ?, ?>> shuffles, String description,
                                                 Function<Job, JobResult<?>> runner) {
        Map<Integer, MapStatus[]> outputs = new HashMap<>();
        for (ShuffleDependency<?, ?, ?> shuffle : shuffles) {
            int id = shuffle.shuffleId();
            tracker.register(id, shuffle.mapPartitions(), shuffle.reducePartitions());
            List<Integer> missing = tracker.missing(id);
            if (!missing.isEmpty()) {
                Job mapStage = new Job("map stage of shuffle " + id + " for " + description, shuffle.mapStage(),
                        missing.stream().mapToInt(Integer::intValue).toArray(), shuffle.parent().cachedLineage(),
                        shuffle.parent().stageInputs());
                JobResult<MapStatus> written = run(mapStage, runner);
                long bytes = 0;
                int spills = 0;
                for (MapStatus status : written.results()) {
                    tracker.add(id, status);
                    if (!status.outlivesExecutor()) {
                        activity.executorOutput(status.location().executorId(), id);
                    }
                    bytes += status.bytes();
                    spills += status.spills();
                }
                LOG.info("Map stage of shuffle {}: {} task(s) wrote {} bytes for {} reduce partitions, spilling to disk "
                        + "{} time(s) on the way", id, written.results().size(), bytes, shuffle.reducePartitions(), spills);
            }
            outputs.put(id, tracker.statuses(id));
        }
        return outputs;
    }

    @SuppressWarnings("unchecked")
    private static <R> JobResult<R> cast(JobResult<?> result) {
        return (JobResult<R>) result;
    }
}
