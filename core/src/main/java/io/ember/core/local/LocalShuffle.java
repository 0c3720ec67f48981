package io.ember.core.local;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Settings;
import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.core.files.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shuffle of {@code local[N]} mode: the selected shuffle plugin, opened in the driver's JVM at
 * the first shuffle, with a temporary directory for its files that is deleted when the application
 * stops. There is no external service; the one executor serves (and reads) its own blocks.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
final class LocalShuffle implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalShuffle.class);

    private final String applicationId;
    private final String executorId;
    private final ShuffleManagerFactory factory;
    private final Settings settings;
    private final Optional<String> secret;
    private ShuffleManager manager;
    private Path dir;
    private boolean closed;

    LocalShuffle(String applicationId, String executorId, ShuffleManagerFactory factory, Settings settings,
                 Optional<String> secret) {
        this.applicationId = requireNonNull(applicationId, "applicationId is null");
        this.executorId = requireNonNull(executorId, "executorId is null");
        this.factory = requireNonNull(factory, "factory is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.secret = requireNonNull(secret, "secret is null");
    }

    /** Creates the manager and the directory, and opens the executor's shuffle. */
    synchronized ExecutorShuffle open() {
        if (closed) {
            throw new IllegalStateException("the application has stopped");
        }
        try {
            dir = Files.createTempDirectory("ember-" + applicationId + "-shuffle-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for shuffle files in "
                    + System.getProperty("java.io.tmpdir"), e);
        }
        manager = factory.create(settings);
        return manager.openExecutor(new ExecutorShuffleContext(applicationId, executorId, "127.0.0.1", List.of(dir),
                Optional.empty(), secret));
    }

    /** Closes the manager and deletes the shuffle files. */
    @Override
    public synchronized void close() {
        closed = true;
        if (manager != null) {
            manager.close();
            manager = null;
        }
        if (dir != null) {
            delete(dir);
            dir = null;
        }
    }

    private static void delete(Path root) {
        try {
            FileTrees.deleteRecursively(root);
        } catch (IOException e) {
            LOG.warn("Could not delete the shuffle files in {}: {}", root, e.toString());
        }
    }
}
