package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import io.ember.core.config.EmberKeys;
import io.ember.core.memory.MemorySettings;
import io.ember.core.shuffle.MapOutputSnapshots;
import java.util.List;

/**
 * What a driver tells each executor when it registers: the application's JARs and the executor's
 * limits; and the map outputs its tasks may fetch.
 *
 * @param jars the JARs executors fetch before running a task
 * @param maxDirectResultBytes results larger than this are uploaded on the side channel
 *     ({@code ember.task.maxDirectResultSize})
 * @param memory each executor's memory budget ({@code ember.memory.fraction} and
 *     {@code ember.memory.storageFraction})
 * @param maxUploadBytes the largest uploaded result accepted ({@code ember.driver.maxResultSize})
 * @param recordSerializer how shuffled records are serialized ({@code ember.serializer})
 * @param mapOutputs the map outputs running stages read, which their tasks fetch
 */
public record ExecutorSetup(List<ServedJar> jars, long maxDirectResultBytes, MemorySettings memory,
                            long maxUploadBytes, String recordSerializer, MapOutputSnapshots mapOutputs) {

    /** No JARs, the keys' default limits. */
    static final ExecutorSetup DEFAULT = new ExecutorSetup(List.of(),
            EmberKeys.TASK_MAX_DIRECT_RESULT_SIZE.defaultValue().orElseThrow(),
            new MemorySettings(EmberKeys.MEMORY_FRACTION.defaultValue().orElseThrow(),
                    EmberKeys.MEMORY_STORAGE_FRACTION.defaultValue().orElseThrow()),
            EmberKeys.DRIVER_MAX_RESULT_SIZE.defaultValue().orElseThrow(),
            EmberKeys.SERIALIZER.defaultValue().orElseThrow(), MapOutputSnapshots.NONE);

    public ExecutorSetup {
        jars = List.copyOf(requireNonNull(jars, "jars is null"));
        requireNonNull(recordSerializer, "recordSerializer is null");
        requireNonNull(memory, "memory is null");
        requireNonNull(mapOutputs, "mapOutputs is null");
        if (maxDirectResultBytes < 0 || maxUploadBytes < 1) {
            throw new IllegalArgumentException("limits must be >= 0: " + maxDirectResultBytes + ", "
                    + maxUploadBytes);
        }
    }
}
