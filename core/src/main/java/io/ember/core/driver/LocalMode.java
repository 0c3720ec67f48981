package io.ember.core.driver;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.core.config.EmberConfig;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.shuffle.MapOutputsSource;

/**
 * Starts the one executor of {@code ember.master=local[N]}: N task threads in the driver's JVM,
 * offered to the driver's task scheduler. {@link EmberContext} calls it instead of connecting to a
 * cluster.
 *
 * <p>Implemented outside this package (the local modes' runtime, which runs an executor's task
 * runtime in this JVM); the context finds it with {@link java.util.ServiceLoader}, so the driver
 * does not depend on the executor's internals.
 */
public interface LocalMode {

    /**
     * Starts the executor and registers its threads with {@code scheduler}.
     *
     * @param config the application's configuration (storage memory, serializer, secret)
     * @param shuffle the selected shuffle plugin, run in this JVM
     * @param serializer deserializes stage code and serializes results, as an executor process would
     * @param applicationLoader the application's classes
     * @param mapOutputs the map outputs the driver's reduce stages read, which its tasks look up here
     * @return the running executor; the context closes it when it stops
     */
    Executor start(int threads, EmberConfig config, ShuffleManagerFactory shuffle, TaskScheduler scheduler,
                   JavaSerializer serializer, ClassLoader applicationLoader, MapOutputsSource mapOutputs);

    /** The running executor of {@code local[N]}. */
    interface Executor extends AutoCloseable {

        /** What the executor is: id {@code driver}, its application id and its threads. */
        ExecutorInfo info();

        /** Stops its task threads and its shuffle. Idempotent. */
        @Override
        void close();
    }
}
