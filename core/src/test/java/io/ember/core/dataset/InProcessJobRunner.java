package io.ember.core.dataset;

import static java.util.Objects.requireNonNull;

import io.ember.core.job.Job;
import io.ember.core.job.JobFailedException;
import io.ember.core.job.JobId;
import io.ember.core.job.JobResult;
import io.ember.core.job.JobSummary;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.task.StageCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs jobs on the calling thread, as an executor would: each job's stage code is serialized and
 * deserialized first (so every test proves its functions are serializable), each task's result
 * makes the same round trip, and persisted partitions go to a {@link CountingBlockStore}. Records
 * the jobs it ran. A failed task is retried up to {@link #maxAttempts(int)} attempts; with
 * {@link #rerunEachTask(boolean)} every successful task runs a second time (a duplicate attempt).
 */
final class InProcessJobRunner implements JobRunner {

    private final JavaSerializer serializer = new JavaSerializer(PayloadFilter.standard());
    private final CountingBlockStore blocks = new CountingBlockStore();
    private final AtomicInteger datasetIds = new AtomicInteger();
    private final AtomicInteger jobIds = new AtomicInteger();
    private final AtomicLong taskIds = new AtomicLong();
    private final List<Job> jobs = new CopyOnWriteArrayList<>();
    private final List<Integer> unpersisted = new CopyOnWriteArrayList<>();
    private volatile int maxAttempts = 1;
    private volatile boolean rerunEachTask;

    @Override
    public int newDatasetId() {
        return datasetIds.getAndIncrement();
    }

    @Override
    public int defaultParallelism() {
        return 2;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> JobResult<R> runJob(Job job) {
        requireNonNull(job, "job is null");
        jobs.add(job);
        int jobId = jobIds.getAndIncrement();
        long hitsBefore = blocks.hits();
        long missesBefore = blocks.misses();
        StageCode code = (StageCode) roundTrip(job.code());
        List<R> results = new ArrayList<>();
        int attempts = 0;
        int failed = 0;
        for (int partition : job.partitions()) {
            Exception lastFailure = null;
            Object result = null;
            boolean done = false;
            for (int attempt = 0; attempt < maxAttempts && !done; attempt++) {
                attempts++;
                try {
                    result = code.runTask(partition, context(jobId, partition, attempt));
                    done = true;
                } catch (Exception e) {
                    failed++;
                    lastFailure = e;
                }
            }
            if (!done) {
                throw new JobFailedException("task for partition " + partition + " of job " + jobId + " failed "
                        + maxAttempts + " time(s): " + lastFailure, lastFailure);
            }
            if (rerunEachTask) {
                attempts++;
                try {
                    code.runTask(partition, context(jobId, partition, maxAttempts));
                } catch (Exception e) {
                    throw new AssertionError("a duplicate attempt failed", e);
                }
            }
            results.add((R) roundTrip(result));
        }
        JobSummary summary = new JobSummary(new JobId(jobId), job.description(), 1, job.partitions().length, attempts,
                failed, 1,
                blocks.hits() - hitsBefore, blocks.misses() - missesBefore, Duration.ZERO);
        return new JobResult<>(results, summary);
    }

    @Override
    public void unpersist(int datasetId) {
        unpersisted.add(datasetId);
        blocks.drop(datasetId);
    }

    private TestingTaskContext context(int stageId, int partition, int attempt) {
        return new TestingTaskContext(taskIds.getAndIncrement(), stageId, partition, attempt, "executor-0", blocks);
    }

    private Object roundTrip(Object value) {
        return serializer.deserialize(serializer.serialize(value), getClass().getClassLoader());
    }

    /** Attempts per task before the job fails; 1 by default. */
    InProcessJobRunner maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1: " + attempts);
        }
        this.maxAttempts = attempts;
        return this;
    }

    /** Whether each successful task runs once more, as a duplicate attempt would. */
    InProcessJobRunner rerunEachTask(boolean rerun) {
        this.rerunEachTask = rerun;
        return this;
    }

    CountingBlockStore blocks() {
        return blocks;
    }

    List<Job> jobs() {
        return List.copyOf(jobs);
    }

    Job lastJob() {
        return jobs.get(jobs.size() - 1);
    }

    /** The number of partitions each job ran, in order. */
    List<Integer> partitionsPerJob() {
        return jobs.stream().map(job -> job.partitions().length).toList();
    }

    /** The partitions each job ran, in order. */
    List<List<Integer>> partitionsOfJobs() {
        return jobs.stream().map(job -> Arrays.stream(job.partitions()).boxed().toList()).toList();
    }

    List<Integer> unpersisted() {
        return List.copyOf(unpersisted);
    }
}
