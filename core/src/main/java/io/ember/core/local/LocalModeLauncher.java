package io.ember.core.local;

import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.core.config.EmberConfig;
import io.ember.core.driver.LocalMode;
import io.ember.core.scheduler.TaskScheduler;
import io.ember.core.serialization.JavaSerializer;
import io.ember.core.shuffle.MapOutputsSource;
import java.util.ServiceLoader;

/** {@code local[N]}: the {@link LocalMode} a driver finds with {@link ServiceLoader}. */
public final class LocalModeLauncher implements LocalMode {

    @Override
    public Executor start(int threads, EmberConfig config, ShuffleManagerFactory shuffle, TaskScheduler scheduler,
                          JavaSerializer serializer, ClassLoader applicationLoader, MapOutputsSource mapOutputs) {
        return LocalExecutor.start(threads, config, shuffle, scheduler, serializer, applicationLoader, mapOutputs);
    }
}
