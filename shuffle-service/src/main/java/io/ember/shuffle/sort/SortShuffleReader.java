package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.BlockLocation;
import io.ember.api.shuffle.FetchFailedException;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.ShuffleBlock;
import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.api.shuffle.ShuffleMemory;
import io.ember.api.shuffle.ShuffleReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

// Longer than 400 lines because fetching, the bytes in flight, the task's memory and the checksum
// retry of one partition's blocks decide together which block comes next.
/**
 * Reads the blocks of one reduce partition. Blocks at this executor's own location are read from
 * disk; the others are fetched from their servers, many at once, in requests of at most a fifth of
 * {@code maxBytesInFlight} (a larger block alone), while the bytes requested and not yet handed out
 * stay within {@code maxBytesInFlight} (a block larger than the bound is fetched when nothing else
 * is in flight), and across the executor's readers within its {@link FetchBudget}. A local block
 * longer than {@code localInMemoryUpTo}, or one the task's memory cannot hold, is streamed from its file once
 * checked; a shorter one is read whole on the task's memory until the next block. Every block is checked against its stored checksum; a corrupt one is read or
 * fetched once more, then reported as a {@link FetchFailedException}, and its bytes are never
 * returned. Blocks are returned as they arrive.
 *
 * <p>Used by one task thread; replies arrive on the client's event loops and are handed over
 * through a queue.
 */
final class SortShuffleReader implements ShuffleReader {

    private final BlockLocation self;
    private final ShuffleFiles localFiles;
    private final String appId;
    private final ShuffleClient client;
    private final long maxBytesInFlight;
    private final FetchBudget executorBudget;
    private final long localInMemoryUpTo;
    private final ShuffleMemory memory;
    /**
     * What the blocks in flight, and the fetched block being read, hold of the task's memory (at most
     * {@link #bytesInFlight} plus {@link #currentInMemory}).
     */
    private long taskHeld;
    /** What the local block read whole and handed out last holds of the task's memory. */
    private long localHeld;
    /** The length of the fetched block handed out last when it is in memory: held until the next block. */
    private long currentInMemory;
    /** The stream of the local block handed out last: closed at the next block or at close. */
    private InputStream currentLocal;
    private final Deque<MapBlock> localBlocks = new ArrayDeque<>();
    private final Deque<FetchRequest> requests = new ArrayDeque<>();
    private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();
    private final Map<ShuffleBlockId, MapBlock> remoteBlocks = new HashMap<>();
    private final Set<ShuffleBlockId> retried = new HashSet<>();
    private final int total;
    private int returned;
    private long bytesInFlight;
    private long maxBytesInFlightSeen;
    /** The block handed out last when it is in a file: deleted at the next block or at close. */
    private FetchedBlock current;
    /** Guarded by {@code results}: set under its lock, so no block is queued after close drained it. */
    private volatile boolean closed;

    /**
     * @param blocks the blocks of the partition
     * @param self this executor's location: blocks there are read from {@code localFiles}
     * @param appId the application, named in fetch requests
     * @param maxBytesInFlight the bound on remote bytes requested and not yet handed out
     */
    SortShuffleReader(List<MapBlock> blocks, BlockLocation self, ShuffleFiles localFiles, String appId,
                      ShuffleClient client, long maxBytesInFlight) {
        this(blocks, self, localFiles, appId, client, maxBytesInFlight, FetchBudget.unbounded(), Long.MAX_VALUE);
    }

    /**
     * As the other constructor, the bytes in flight also bounded across the executor's readers.
     *
     * @param executorBudget the executor's bytes in flight, shared by its readers
     * @param localInMemoryUpTo the longest local block read whole into memory; longer ones are streamed
     *     from the file once checked
     */
    SortShuffleReader(List<MapBlock> blocks, BlockLocation self, ShuffleFiles localFiles, String appId,
                      ShuffleClient client, long maxBytesInFlight, FetchBudget executorBudget, long localInMemoryUpTo) {
        this(blocks, self, localFiles, appId, client, maxBytesInFlight, executorBudget, localInMemoryUpTo,
                ShuffleMemory.UNLIMITED);
    }

    /**
     * As the other constructors, the blocks in flight also held within the task's {@code memory}: a
     * request is sent when the task's memory grants its bytes (or when nothing else is in flight),
     * and they are given back as its blocks are handed out, and at close.
     */
    SortShuffleReader(List<MapBlock> blocks, BlockLocation self, ShuffleFiles localFiles, String appId,
                      ShuffleClient client, long maxBytesInFlight, FetchBudget executorBudget, long localInMemoryUpTo,
                      ShuffleMemory memory) {
        this.memory = requireNonNull(memory, "memory is null");
        this.executorBudget = requireNonNull(executorBudget, "executorBudget is null");
        this.localInMemoryUpTo = localInMemoryUpTo;
        requireNonNull(blocks, "blocks is null");
        this.self = requireNonNull(self, "self is null");
        this.localFiles = requireNonNull(localFiles, "localFiles is null");
        this.appId = requireNonNull(appId, "appId is null");
        this.client = requireNonNull(client, "client is null");
        if (maxBytesInFlight < 1) {
            throw new IllegalArgumentException("maxBytesInFlight must be > 0: " + maxBytesInFlight);
        }
        this.maxBytesInFlight = maxBytesInFlight;
        this.total = blocks.size();
        Map<BlockLocation, List<MapBlock>> byLocation = new LinkedHashMap<>();
        for (MapBlock block : blocks) {
            if (block.location().equals(self)) {
                localBlocks.add(block);
            } else {
                if (remoteBlocks.put(block.id(), block) != null) {
                    throw new IllegalArgumentException("block " + block.id() + " listed twice");
                }
                byLocation.computeIfAbsent(block.location(), l -> new ArrayList<>()).add(block);
            }
        }
        planRequests(byLocation);
    }

    /** Splits each location's blocks into requests, interleaving locations so that fetches spread over servers. */
    private void planRequests(Map<BlockLocation, List<MapBlock>> byLocation) {
        long target = Math.max(maxBytesInFlight / 5, 1);
        List<Iterator<FetchRequest>> perLocation = new ArrayList<>();
        for (Map.Entry<BlockLocation, List<MapBlock>> entry : byLocation.entrySet()) {
            List<FetchRequest> planned = new ArrayList<>();
            List<MapBlock> current = new ArrayList<>();
            long bytes = 0;
            for (MapBlock block : entry.getValue()) {
                if (!current.isEmpty() && bytes + block.length() > target) {
                    planned.add(new FetchRequest(entry.getKey(), current, bytes));
                    current = new ArrayList<>();
                    bytes = 0;
                }
                current.add(block);
                bytes += block.length();
            }
            if (!current.isEmpty()) {
                planned.add(new FetchRequest(entry.getKey(), current, bytes));
            }
            perLocation.add(planned.iterator());
        }
        boolean any = true;
        while (any) {
            any = false;
            for (Iterator<FetchRequest> it : perLocation) {
                if (it.hasNext()) {
                    requests.add(it.next());
                    any = true;
                }
            }
        }
    }

    @Override
    public boolean hasNext() {
        return !closed && returned < total;
    }

    @Override
    public ShuffleBlock next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "the reader is closed" : "all " + total + " blocks were read");
        }
        discardCurrent();
        sendRequests();
        if (!localBlocks.isEmpty()) {
            returned++;
            MapBlock block = localBlocks.poll();
            currentLocal = openLocal(block);
            return new ShuffleBlock(block.id(), currentLocal);
        }
        while (true) {
            Result result = take();
            MapBlock block = remoteBlocks.get(result.id());
            bytesInFlight -= block.length();
            executorBudget.giveBack(block.length());
            FetchedBlock fetched = result.block();
            // a block in memory keeps its share of the task's memory while it is read: until the next block
            currentInMemory = fetched != null && fetched.file().isEmpty() ? fetched.length() : 0;
            releaseTaskMemoryAbove(bytesInFlight + currentInMemory);
            if (fetched == null) {
                // a cause is a failure of the connection itself: the server (or its executor) is gone
                throw new FetchFailedException(block.id(), block.location(), result.reason(), result.cause(),
                        result.cause() != null);
            }
            String problem = problem(block, fetched);
            if (problem != null) {
                fetched.discard();
                currentInMemory = 0;
                releaseTaskMemoryAbove(bytesInFlight);
                if (retried.add(block.id())) {
                    requests.addFirst(new FetchRequest(block.location(), List.of(block), block.length()));
                    sendRequests();
                    continue;
                }
                throw new FetchFailedException(block.id(), block.location(), problem + ", also when fetched again",
                        null);
            }
            returned++;
            sendRequests();
            try {
                InputStream data = fetched.open();
                if (fetched.file().isPresent()) {
                    current = fetched;   // an open stream reads on after the file is deleted
                }
                return new ShuffleBlock(block.id(), data);
            } catch (IOException e) {
                fetched.discard();
                currentInMemory = 0;
                releaseTaskMemoryAbove(bytesInFlight);
                throw new FetchFailedException(block.id(), block.location(), "cannot read the fetched block from "
                        + fetched.file().orElseThrow() + ": " + e.getMessage(), null);
            }
        }
    }

    private static String problem(MapBlock block, FetchedBlock fetched) {
        if (block.lengthExact() && fetched.length() != block.length()) {
            return "received " + fetched.length() + " bytes, the map task wrote " + block.length();
        }
        if (!fetched.intact()) {
            return "the block is corrupt: its " + fetched.algorithm().word() + " checksum does not match";
        }
        return null;
    }

    private InputStream openLocal(MapBlock block) {
        for (int attempt = 0; ; attempt++) {
            try {
                ResolvedBlock resolved = ResolvedBlock.resolve(localFiles, block.id());
                return resolved.openChecked(localInMemoryUpTo(resolved.length()));
            } catch (ResolvedBlock.CorruptBlockException e) {
                if (attempt > 0) {
                    throw new FetchFailedException(block.id(), block.location(), "the block on disk is corrupt: "
                            + e.getMessage() + ", also when read again", null);
                }
            } catch (IOException e) {
                throw new FetchFailedException(block.id(), block.location(), e.getMessage(), e);
            }
        }
    }

    private void sendRequests() {
        while (!requests.isEmpty() && !closed) {
            FetchRequest request = requests.peek();
            if (bytesInFlight > 0 && bytesInFlight + request.bytes() > maxBytesInFlight) {
                return;
            }
            if (!executorBudget.tryTake(request.bytes(), bytesInFlight == 0)) {
                return;   // the executor's other readers hold the rest; this one's own blocks will come
            }
            long granted = memory.acquire(request.bytes());
            if (granted < request.bytes() && bytesInFlight > 0) {
                memory.release(granted);   // the task's other buffers hold the rest: this reader's own blocks will come
                executorBudget.giveBack(request.bytes());
                return;
            }
            taskHeld += granted;
            requests.poll();
            bytesInFlight += request.bytes();
            maxBytesInFlightSeen = Math.max(maxBytesInFlightSeen, bytesInFlight);
            BlockLocation location = request.location();
            client.fetch(location.host(), location.port(), appId, location.executorId(),
                    request.blocks().stream().map(MapBlock::id).toList(), new BlockListener() {
                        @Override
                        public void onBlock(ShuffleBlockId id, FetchedBlock block) {
                            synchronized (results) {
                                if (!closed) {
                                    results.add(new Result(id, block, null, null));
                                    return;
                                }
                            }
                            block.discard();
                        }

                        @Override
                        public void onFailure(ShuffleBlockId id, String reason, Throwable cause) {
                            if (!closed) {
                                results.add(new Result(id, null, reason, cause));
                            }
                        }
                    });
        }
    }

    /**
     * How long a local block of {@code length} bytes may be to be read whole: when it is short enough,
     * the task's memory is asked for it (held until the next block), and when refused it is streamed
     * from its file instead.
     */
    private long localInMemoryUpTo(long length) {
        if (length > localInMemoryUpTo) {
            return localInMemoryUpTo;
        }
        releaseLocal();
        long granted = memory.acquire(length);
        if (granted < length) {
            memory.release(granted);
            return 0;
        }
        localHeld = granted;
        return localInMemoryUpTo;
    }

    private void releaseLocal() {
        if (localHeld > 0) {
            memory.release(localHeld);
            localHeld = 0;
        }
    }

    /** Gives the task's memory back down to {@code inFlight} bytes. */
    private void releaseTaskMemoryAbove(long inFlight) {
        if (taskHeld > inFlight) {
            memory.release(taskHeld - inFlight);
            taskHeld = inFlight;
        }
    }

    /** What the blocks in flight hold of the task's memory now; for tests. */
    long taskMemoryHeld() {
        return taskHeld;
    }

    private void discardCurrent() {
        if (current != null) {
            current.discard();
            current = null;
        }
        if (currentLocal != null) {
            try {
                currentLocal.close();
            } catch (IOException e) {
                // a read-only file: nothing is lost
            }
            currentLocal = null;
        }
        releaseLocal();
        if (currentInMemory > 0) {
            currentInMemory = 0;
            releaseTaskMemoryAbove(bytesInFlight);
        }
    }

    private Result take() {
        try {
            return results.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for shuffle blocks", e);
        }
    }

    /** The most bytes that were requested and not yet handed out at any time; for tests of the bound. */
    long maxBytesInFlightSeen() {
        return maxBytesInFlightSeen;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (results) {
            closed = true;
            for (Result result : results) {
                if (result.block() != null) {
                    result.block().discard();
                }
            }
            results.clear();
        }
        requests.clear();
        discardCurrent();
        executorBudget.giveBack(bytesInFlight);   // what still arrives is dropped
        bytesInFlight = 0;
        releaseTaskMemoryAbove(0);
    }

    @Override
    public String toString() {
        return "SortShuffleReader[" + returned + " of " + total + " blocks read, " + bytesInFlight + " bytes in flight]";
    }

    /** One request to one server. */
    private record FetchRequest(BlockLocation location, List<MapBlock> blocks, long bytes) {
    }

    /** A block that arrived, or why it did not. */
    private record Result(ShuffleBlockId id, FetchedBlock block, String reason, Throwable cause) {
    }
}
