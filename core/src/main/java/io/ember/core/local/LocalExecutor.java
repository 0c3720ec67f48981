package io.ember.core.local;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.driver.LocalMode;
import io.ember.core.driver.endpoint.ExecutorTraffic;
import io.ember.core.executor.ShuffleAccess;
import io.ember.core.executor.TaskExecutor;
import io.ember.core.memory.ExecutorMemory;
import io.ember.core.memory.MemorySettings;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.shuffle.MapOutputsSource;

/**
 * The one executor of {@code local[N]} mode: the same {@link TaskExecutor} an executor process
 * runs, inside the driver's JVM, with N task threads. The scheduler calls it through a
 * {@link LocalGateway} and hears it through {@link LocalReports}, in Ember's own types on both
 * sides, without a message or a socket in between; stage code is still serialized once per stage
 * and deserialized by the executor, and results and errors are serialized by it, so a job that runs
 * here also serializes correctly on a cluster.
 */
final class LocalExecutor implements LocalMode.Executor {

    static final String EXECUTOR_ID = "driver";

    private final ExecutorInfo info;
    private final TaskExecutor executor;
    private final LocalShuffle shuffle;

    private LocalExecutor(ExecutorInfo info, TaskExecutor executor, LocalShuffle shuffle) {
        this.info = info;
        this.executor = executor;
        this.shuffle = shuffle;
    }

    /** Starts the executor and offers its threads to the scheduler ({@link LocalMode#start}). */
    static LocalExecutor start(int threads, EmberConfig config, ShuffleManagerFactory shuffleFactory,
                               TaskScheduler scheduler, JavaSerializer serializer, ClassLoader applicationLoader,
                               MapOutputsSource mapOutputs) {
        requireNonNull(config, "config is null");
        requireNonNull(scheduler, "scheduler is null");
        String applicationId = "local-" + System.currentTimeMillis();
        ExecutorMemory memory = ExecutorMemory.of(new MemorySettings(config.get(EmberKeys.MEMORY_FRACTION),
                config.get(EmberKeys.MEMORY_STORAGE_FRACTION)), Runtime.getRuntime().maxMemory());
        LocalShuffle shuffle = new LocalShuffle(applicationId, EXECUTOR_ID, shuffleFactory,
                config.policy(PolicyKind.SHUFFLE, shuffleFactory.name()), config.core().find(EmberKeys.AUTH_SECRET));
        RecordSerializer records = new RecordSerializer(config.get(EmberKeys.SERIALIZER), applicationLoader,
                PayloadFilter.withOperatorPatterns(config.get(EmberKeys.SERIALIZER_FILTER)));
        TaskExecutor executor = TaskExecutor.withOwnBlockManager(EXECUTOR_ID, threads, Long.MAX_VALUE, memory,
                serializer, applicationLoader, new LocalReports(EXECUTOR_ID, ExecutorTraffic.to(scheduler)),
                (taskId, result) -> {
                    throw new IllegalStateException("local mode uploads no results");
                }, new ShuffleAccess(shuffle::open, records, mapOutputs));
        ExecutorInfo info = new ExecutorInfo(EXECUTOR_ID, applicationId, "local", "localhost", 0, threads);
        scheduler.executorAdded(new LocalGateway(EXECUTOR_ID, threads, executor));
        return new LocalExecutor(info, executor, shuffle);
    }

    @Override
    public ExecutorInfo info() {
        return info;
    }

    @Override
    public void close() {
        executor.close();
        shuffle.close();
    }
}
