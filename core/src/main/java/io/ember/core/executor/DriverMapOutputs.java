package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.core.shuffle.MapOutputsRef;
import io.ember.core.shuffle.MapOutputsSource;
import io.ember.core.shuffle.MapStatus;
import io.ember.core.shuffle.MapStatusCodec;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor's map outputs, fetched from the driver ({@link DriverMapOutputSource}) the
 * first time a task of a stage asks, and kept for the stage's other tasks here: the tasks that ask
 * while the fetch runs wait for it instead of fetching too. The last {@value #KEPT} versions are kept;
 * a failed fetch is not, so the next task asks again.
 *
 * <p>Threading: thread-safe; the fetch runs on the first asking task's thread.
 */
final class DriverMapOutputs implements MapOutputsSource {

    /** How many versions are kept: a few stages' worth, each read by every task of its stage here. */
    static final int KEPT = 8;

    private static final Logger LOG = LoggerFactory.getLogger(DriverMapOutputs.class);

    /** Fetches the bytes of one version; the driver's RPC, or a fake in tests. */
    interface Fetcher {
        byte[] fetch(MapOutputsRef ref) throws IOException;
    }

    private final Fetcher fetcher;
    /** Guarded by itself; in the order first asked for. */
    private final Map<MapOutputsRef, CompletableFuture<MapStatus[]>> kept = new LinkedHashMap<>();

    DriverMapOutputs(Fetcher fetcher) {
        this.fetcher = requireNonNull(fetcher, "fetcher is null");
    }

    @Override
    public MapStatus[] statuses(MapOutputsRef ref) throws IOException {
        requireNonNull(ref, "ref is null");
        CompletableFuture<MapStatus[]> mine = new CompletableFuture<>();
        CompletableFuture<MapStatus[]> existing;
        synchronized (kept) {
            existing = kept.putIfAbsent(ref, mine);
            if (existing == null && kept.size() > KEPT) {
                Iterator<MapOutputsRef> oldest = kept.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        if (existing != null) {
            return await(ref, existing);
        }
        try {
            long started = System.nanoTime();
            byte[] bytes = fetcher.fetch(ref);
            MapStatus[] statuses = MapStatusCodec.decode(bytes);
            LOG.debug("Fetched the {} from the driver: {} statuses, {} bytes, in {} ms", ref, statuses.length,
                    bytes.length, (System.nanoTime() - started) / 1_000_000);
            mine.complete(statuses);
            return statuses.clone();
        } catch (IOException | RuntimeException | Error e) {
            synchronized (kept) {
                kept.remove(ref, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** How many versions are kept now. */
    int kept() {
        synchronized (kept) {
            return kept.size();
        }
    }

    private static MapStatus[] await(MapOutputsRef ref, CompletableFuture<MapStatus[]> fetching) throws IOException {
        try {
            return fetching.get().clone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while another task fetched the " + ref, e);
        } catch (ExecutionException e) {
            throw new IOException("another task's fetch of the " + ref + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
