package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext.ServiceAddress;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleMemory;
import io.ember.api.shuffle.ShuffleReader;
import io.ember.api.shuffle.ShuffleWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sort} shuffle of one executor. With an external shuffle service it registers there,
 * writes its output to the directories the service created for it (as many as its context's local
 * directories), and others fetch its output from the service (also after it exits); without one it
 * writes to its context's local directories and starts its own {@link ShuffleServer} on an
 * ephemeral port that serves only them.
 *
 * <p>Thread-safe. {@link #close()} is idempotent: it stops its own server and the client; the files
 * stay for the service.
 */
final class SortExecutorShuffle implements ExecutorShuffle {

    private static final Logger LOG = LoggerFactory.getLogger(SortExecutorShuffle.class);
    private static final long REGISTER_TIMEOUT_SECONDS = 60;
    private static final long REMOVE_TIMEOUT_SECONDS = 10;

    private final ExecutorShuffleContext context;
    private final SortShuffleSettings settings;
    /** The bytes this executor's readers have in flight, together. */
    private final FetchBudget fetchBudget;
    private final ShuffleFiles files;
    private final ShuffleClient client;
    private final Optional<ShuffleServer> ownServer;
    private final BlockLocation location;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The longest block a reduce task holds whole: {@code fetchToDisk.threshold}, at most an eighth of the heap. */
    private final long inMemoryUpTo;

    /**
     * Opens the shuffle of an executor.
     *
     * @throws UncheckedIOException when the service refuses the registration or cannot be reached,
     *     or its own server cannot start
     */
    SortExecutorShuffle(ExecutorShuffleContext context, SortShuffleSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.fetchBudget = new FetchBudget(settings.maxBytesInFlightPerExecutor());
        this.inMemoryUpTo = inMemoryUpTo(settings.fetchToDiskThreshold(), Runtime.getRuntime().maxMemory());
        this.client = new ShuffleClient(context.secret(), context.limits(), FetchToDisk.above(
                inMemoryUpTo, context.localDirs().get(0).toAbsolutePath().resolve("fetched")));
        try {
            if (context.service().isPresent()) {
                ServiceAddress service = context.service().get();
                this.files = new ShuffleFiles(register(service, context.localDirs().size()));
                this.ownServer = Optional.empty();
                this.location = new BlockLocation(context.executorId(), service.host(), service.port());
            } else {
                List<Path> dirs = context.localDirs().stream().map(dir -> dir.toAbsolutePath().normalize()).toList();
                this.files = new ShuffleFiles(dirs);
                ShuffleServer server = ShuffleServer.start(
                        new ShuffleServerConfig(context.host(), 0, context.secret(), false, true, context.limits()),
                        ExecutorRegistry.inMemory());
                this.ownServer = Optional.of(server);
                try {
                    server.registry().registerOwn(context.applicationId(), context.executorId(), dirs);
                } catch (RefusedRequestException e) {
                    server.close();
                    throw new UncheckedIOException(new IOException("cannot serve the executor's own output: "
                            + e.getMessage()));
                }
                this.location = new BlockLocation(context.executorId(), context.host(), server.port());
            }
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        LOG.info("Shuffle of executor {} opened; its output is written to {} and served at {}:{}",
                context.executorId(), files.localDirs(), location.host(), location.port());
    }

    /** Registers with the service; returns the directories it created for this executor's output. */
    private List<Path> register(ServiceAddress service, int dirCount) {
        try {
            return client.register(service.host(), service.port(), context.applicationId(), context.executorId(),
                    dirCount).get(REGISTER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException("cannot register with the shuffle service at "
                    + service.host() + ":" + service.port() + ": " + e.getCause().getMessage(), e.getCause()));
        } catch (TimeoutException e) {
            throw new UncheckedIOException(new IOException("the shuffle service at " + service.host() + ":"
                    + service.port() + " did not answer the registration in " + REGISTER_TIMEOUT_SECONDS + "s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while registering with the shuffle service"));
        }
    }

    @Override
    public BlockLocation location() {
        return location;
    }

    /** True when the host's shuffle service serves the output (this executor registered with it). */
    @Override
    public boolean outlivesExecutor() {
        return ownServer.isEmpty();
    }

    @Override
    public ShuffleWriter writer(int shuffleId, long mapId, int partitions) {
        return writer(shuffleId, mapId, partitions, ShuffleMemory.UNLIMITED);
    }

    @Override
    public ShuffleWriter writer(int shuffleId, long mapId, int partitions, ShuffleMemory memory) {
        return new SortShuffleWriter(files, shuffleId, mapId, partitions, settings, memory);
    }

    @Override
    public ShuffleReader reader(List<MapBlock> blocks) {
        return reader(blocks, ShuffleMemory.UNLIMITED);
    }

    @Override
    public ShuffleReader reader(List<MapBlock> blocks, ShuffleMemory memory) {
        return new SortShuffleReader(blocks, location, files, context.applicationId(), client,
                settings.maxBytesInFlight(), fetchBudget, inMemoryUpTo, memory);
    }

    /**
     * Registered with the host's shuffle service, asks it to delete the shuffle's files of every
     * executor of the application it serves (also those that exited); serving itself, or when the
     * service cannot be asked, deletes this executor's own.
     */
    @Override
    public void removeShuffle(int shuffleId) {
        if (ownServer.isEmpty()) {
            ServiceAddress service = context.service().orElseThrow();
            if (askToRemove(service.host(), service.port(), shuffleId, "; deleting this executor's own files of it")
                    || Thread.currentThread().isInterrupted()) {
                return;
            }
        }
        for (Path dir : files.shuffleDirs(shuffleId)) {
            try {
                ShuffleDirs.delete(dir);
            } catch (IOException e) {
                LOG.warn("Cannot delete the files of shuffle {} in {}: {}", shuffleId, dir, e.getMessage());
            }
        }
    }

    /**
     * As {@link #removeShuffle(int)}, then asks every other shuffle service of {@code services} to
     * delete the application's files of the shuffle; one that does not answer is named in a WARN line.
     */
    @Override
    public void removeShuffle(int shuffleId, List<BlockLocation> services) {
        removeShuffle(shuffleId);
        Set<String> asked = new HashSet<>();
        context.service().ifPresent(own -> asked.add(own.host() + ":" + own.port()));
        for (BlockLocation service : services) {
            if (asked.add(service.host() + ":" + service.port())) {
                askToRemove(service.host(), service.port(), shuffleId, "");
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    }

    /**
     * Asks the shuffle service at {@code host:port} to delete the application's files of a shuffle,
     * within {@value #REMOVE_TIMEOUT_SECONDS}s; one that refuses or does not answer is named in a WARN
     * line ending with {@code then}. Returns whether it deleted them; interrupted, keeps the flag.
     */
    private boolean askToRemove(String host, int port, int shuffleId, String then) {
        try {
            client.removeShuffle(host, port, context.applicationId(), shuffleId)
                    .get(REMOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            LOG.warn("The shuffle service at {}:{} did not delete the files of shuffle {}: {}{}", host, port,
                    shuffleId, e.getCause().getMessage(), then);
        } catch (TimeoutException e) {
            LOG.warn("The shuffle service at {}:{} did not answer the removal of shuffle {} in {}s{}", host, port,
                    shuffleId, REMOVE_TIMEOUT_SECONDS, then);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * The longest block a reduce task holds whole in memory: the configured threshold, at most an
     * eighth of the executor's heap (a block is held whole while it is decoded, next to the task's
     * other buffers; 33 MB blocks ran a 192 MiB executor out of heap).
     */
    static long inMemoryUpTo(long threshold, long maxHeap) {
        return Math.min(threshold, Math.max(0, maxHeap / 8));
    }

    /** The files this executor writes its output to. */
    ShuffleFiles files() {
        return files;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ownServer.ifPresent(ShuffleServer::close);
        client.close();
    }

    @Override
    public String toString() {
        return "SortExecutorShuffle[" + context.applicationId() + "/" + context.executorId() + " at " + location.host()
                + ":" + location.port() + "]";
    }
}
