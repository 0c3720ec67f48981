package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleService;
import io.ember.api.shuffle.ShuffleServiceContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sort} shuffle of one process: on executors a {@link SortExecutorShuffle} (map output
 * in {@link ShuffleFiles}, read back by {@link SortShuffleReader}); on workers the external shuffle
 * service, a {@link ShuffleServer} that remembers its registered executors across restarts.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and closes what this manager opened.
 */
public final class SortShuffleManager implements ShuffleManager {

    private final SortShuffleSettings settings;
    private final List<AutoCloseable> opened = new ArrayList<>();   // guarded by this
    private boolean closed;   // guarded by this

    /** A manager with these settings. */
    public SortShuffleManager(SortShuffleSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public String name() {
        return SortShuffleManagerFactory.NAME;
    }

    /** The settings this manager was created with. */
    public SortShuffleSettings settings() {
        return settings;
    }

    @Override
    public ExecutorShuffle openExecutor(ExecutorShuffleContext context) {
        requireNonNull(context, "context is null");
        return track(new SortExecutorShuffle(context, settings));
    }

    @Override
    public ShuffleService startService(ShuffleServiceContext context) {
        requireNonNull(context, "context is null");
        return track(ShuffleServer.startService(context.host(), context.port(), context.stateDir(), context.secret(),
                context.limits()));
    }

    private synchronized <T extends AutoCloseable> T track(T resource) {
        if (closed) {
            closeOne(resource);
            throw new IllegalStateException("the sort shuffle manager is closed");
        }
        opened.add(resource);
        return resource;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable resource : opened) {
            closeOne(resource);
        }
        opened.clear();
    }

    private static void closeOne(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // ExecutorShuffle and ShuffleService close without checked exceptions; nothing else is held
            throw new IllegalStateException("cannot close " + resource, e);
        }
    }

    @Override
    public String toString() {
        return "SortShuffleManager" + settings;
    }
}
