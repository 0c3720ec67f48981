package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.serialization.JavaSerializer;
import io.ember.core.storage.BlockManager;
import java.util.function.LongSupplier;

/**
 * What every task of one {@link TaskExecutor} uses: the executor it runs on, where results go, the
 * cached blocks, the serializer, the application's class loader, the shuffle, and the clocks that time
 * tasks.
 *
 * @param maxDirectResultBytes a serialized result larger than this goes through {@code uploader}
 * @param nanoTime a monotonic clock in ns ({@code System::nanoTime}); called on task threads
 * @param gcMillis the JVM's garbage collection time so far, in ms ({@link JvmGcTime}); called on
 *     task threads, twice per task
 */
record TaskServices(String executorId, long maxDirectResultBytes, BlockManager blocks, JavaSerializer serializer,
        ClassLoader applicationLoader, TaskExecutor.ResultUploader uploader, ShuffleAccess shuffle,
        LongSupplier nanoTime, LongSupplier gcMillis) {

    TaskServices {
        requireNonNull(executorId, "executorId is null");
        if (maxDirectResultBytes < 0) {
            throw new IllegalArgumentException("maxDirectResultBytes must be >= 0: " + maxDirectResultBytes);
        }
        requireNonNull(blocks, "blocks is null");
        requireNonNull(serializer, "serializer is null");
        requireNonNull(applicationLoader, "applicationLoader is null");
        requireNonNull(uploader, "uploader is null");
        requireNonNull(shuffle, "shuffle is null");
        requireNonNull(nanoTime, "nanoTime is null");
        requireNonNull(gcMillis, "gcMillis is null");
    }
}
