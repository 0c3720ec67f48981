package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.MapOutput;
import io.ember.api.shuffle.ShuffleMemory;
import io.ember.api.shuffle.ShuffleWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

// Longer than 400 lines because the buffer, its spills and the commit share one set of arrays and
// files whose invariants are easier to check in one place than across classes.
/**
 * Writes one map task's output as the {@code sort} shuffle stores it: one data file holding the
 * block of every reduce partition, partition 0 first, and its {@link ShuffleIndex}, laid out by
 * {@link ShuffleFiles}.
 *
 * <p>Records are buffered in memory compactly: their bytes one after another in one byte array, and
 * per record its partition and where it ends, in two int arrays (no object per record). The buffer
 * counts its bytes plus {@value #RECORD_OVERHEAD} bytes per record; before a record would take it
 * past {@link SortShuffleSettings#spillThreshold()}, the buffered records are sorted by partition
 * (a stable counting sort, so the records of a partition keep their write order) and written to a
 * spill file next to the output, and the buffer is reused. A record that alone reaches the
 * threshold goes straight to a spill file of its own. So memory stays below the threshold, however
 * large the output. Within the threshold the buffer also grows only as far as the task's
 * {@link ShuffleMemory} grants (its first {@value #FLOOR_BYTES} bytes are not asked for): refused,
 * it spills and is reused at the size it has; and when another buffer of the task needs memory, it
 * spills and gives its arrays back.
 *
 * <p>{@link #commit()} writes each partition's block from the spill files, in the order they were
 * written, then from memory, so every block is its records in write order; it computes the block's
 * checksum on the way (when {@link SortShuffleSettings#checksumEnabled()}), writes the index, and
 * moves the data file, then the index, into place under their final names. A reader that finds the
 * index finds the whole output; on any failure neither is left. Files are not forced to the disk: a
 * process that dies leaves its output in the operating system's cache, and output a crashed host
 * lost is detected by its checksums or its absence and written again.
 *
 * <p>Commit needs one open file per spill at once. Records of up to
 * {@code spillThreshold - }{@value #RECORD_OVERHEAD} bytes are copied once into the buffer.
 *
 * <p>Not thread-safe: used by the one task thread that runs the map task, as {@link ShuffleWriter}
 * says. The metrics may be read by that thread at any time, also after the end.
 */
final class SortShuffleWriter implements ShuffleWriter {

    /** Bytes of memory per buffered record besides its own: partition, end and sort position (ints). */
    static final int RECORD_OVERHEAD = 12;
    /** The largest byte array the buffer uses. */
    private static final int MAX_BUFFER = Integer.MAX_VALUE - 16;
    private static final int INITIAL_BUFFER = 64 << 10;
    private static final int INITIAL_RECORDS = 1 << 10;
    /** The buffer grows to this many bytes (arrays' capacity) even when the task's memory is refused. */
    static final long FLOOR_BYTES = 1 << 20;

    private enum State { OPEN, COMMITTED, ABORTED }

    private final ShuffleFiles files;
    private final int shuffleId;
    private final long mapId;
    private final int partitions;
    private final SortShuffleSettings settings;
    private final long threshold;
    private final Path dir;
    private final ShuffleMemory memory;
    /** What the buffer's arrays hold of the task's memory (at most their capacity). */
    private long held;

    private State state = State.OPEN;

    // the buffer: record i is partition recordPartition[i], bytes [i == 0 ? 0 : recordEnd[i - 1], recordEnd[i])
    private byte[] bytes = new byte[0];
    private int[] recordPartition = new int[0];
    private int[] recordEnd = new int[0];
    private int[] sorted = new int[0];
    private int[] partitionStart;
    private int records;

    // the spills, in the order they were written, and each one's block lengths
    private final List<Path> spillFiles = new ArrayList<>();
    private final List<long[]> spillLengths = new ArrayList<>();

    private long recordsWritten;
    private long bytesWritten;
    private int spillsWritten;
    private long spillBytes;

    /**
     * A writer of map task {@code mapId}'s output for shuffle {@code shuffleId}.
     *
     * @param partitions how many reduce partitions, 0..{@link ShuffleIndex#MAX_PARTITIONS}
     * @throws IllegalArgumentException when an id or the partition count is out of range
     */
    SortShuffleWriter(ShuffleFiles files, int shuffleId, long mapId, int partitions, SortShuffleSettings settings) {
        this(files, shuffleId, mapId, partitions, settings, ShuffleMemory.UNLIMITED);
    }

    /** As the other constructor, the buffer growing within the task's {@code memory}. */
    SortShuffleWriter(ShuffleFiles files, int shuffleId, long mapId, int partitions, SortShuffleSettings settings,
                      ShuffleMemory memory) {
        this.memory = requireNonNull(memory, "memory is null");
        this.files = requireNonNull(files, "files is null");
        this.settings = requireNonNull(settings, "settings is null");
        if (partitions < 0 || partitions > ShuffleIndex.MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be in 0.." + ShuffleIndex.MAX_PARTITIONS + ": " + partitions);
        }
        this.dir = files.shuffleDir(shuffleId, mapId);
        this.shuffleId = shuffleId;
        this.mapId = mapId;
        this.partitions = partitions;
        this.threshold = Math.min(settings.spillThreshold(), MAX_BUFFER);
        memory.onSpillRequest(this::spillOnRequest);
    }

    @Override
    public void write(int partition, byte[] record, int offset, int length) {
        requireNonNull(record, "record is null");
        Objects.checkIndex(partition, partitions);
        Objects.checkFromIndexSize(offset, length, record.length);
        checkOpen();
        long cost = (long) length + RECORD_OVERHEAD;
        try {
            if (cost >= threshold) {
                spillBuffer();
                spillOne(partition, record, offset, length);
            } else {
                if (bufferedBytes() + cost > threshold) {
                    spillBuffer();
                }
                if (!fits(length) && !reserveGrowth(length)) {
                    spillBuffer();   // the task's memory is short: write out and reuse the arrays as they are
                }
                if (fits(length) || reserveGrowth(length)) {
                    append(partition, record, offset, length);
                } else {
                    spillOne(partition, record, offset, length);
                }
            }
        } catch (IOException e) {
            abortAfter(e);
            throw new UncheckedIOException("cannot spill the output of map " + mapId + " of shuffle " + shuffleId
                    + " to " + dir, e);
        }
        recordsWritten++;
        bytesWritten += length;
    }

    @Override
    public MapOutput commit() {
        checkOpen();
        Path data = files.dataFile(shuffleId, mapId);
        Path index = files.indexFile(shuffleId, mapId);
        Path dataTemp = temp(data);
        Path indexTemp = temp(index);
        boolean dataMoved = false;
        MapOutput output;
        try {
            Files.createDirectories(dir);
            long[] lengths;
            long[] checksums;
            ChecksumAlgorithm algorithm = settings.checksumEnabled() ? settings.checksumAlgorithm() : null;
            try (BlockFileWriter out = new BlockFileWriter(dataTemp, partitions, settings.fileBufferSize(), algorithm)) {
                writeBlocks(out);
                lengths = out.lengths();
                checksums = out.checksums();
            }
            Files.write(indexTemp, new ShuffleIndex(offsets(lengths), checksums, algorithm).toBytes());
            output = new MapOutput(lengths, spillCount());
            move(dataTemp, data);
            dataMoved = true;
            move(indexTemp, index);
        } catch (IOException e) {
            undoCommit(dataMoved ? data : null, e);
            throw new UncheckedIOException("cannot commit the output of map " + mapId + " of shuffle " + shuffleId
                    + " to " + dir, e);
        } catch (RuntimeException | Error e) {
            undoCommit(dataMoved ? data : null, e);
            throw e;
        }
        state = State.COMMITTED;
        deleteSpillsAfterCommit();
        release();
        return output;
    }

    /** Deletes the data file when it was moved into place already, then aborts. */
    private void undoCommit(Path movedData, Throwable failure) {
        if (movedData != null) {
            try {
                Files.deleteIfExists(movedData);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        abortAfter(failure);
    }

    /** Deletes the spill files and temporary files. Idempotent; does nothing after {@link #commit()}. */
    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        release();
        List<Path> failed = new ArrayList<>();
        IOException first = null;
        for (Path file : ownFiles()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                failed.add(file);
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        spillFiles.clear();
        spillLengths.clear();
        if (first != null) {
            throw new UncheckedIOException("aborted map " + mapId + " of shuffle " + shuffleId
                    + " but could not delete " + failed, first);
        }
    }

    /** Records written so far. */
    long recordsWritten() {
        return recordsWritten;
    }

    /** Bytes of records written so far; once committed, the length of the data file. */
    long bytesWritten() {
        return bytesWritten;
    }

    /** How many spill files were written. */
    int spillCount() {
        return spillsWritten;
    }

    /** Bytes written to spill files (each spilled byte is read back once more at commit). */
    long spillBytes() {
        return spillBytes;
    }

    // ---- the buffer

    /** Whether a record of {@code length} bytes fits in the arrays without growing them. */
    private boolean fits(int length) {
        int used = records == 0 ? 0 : recordEnd[records - 1];
        return (long) used + length <= bytes.length && records < recordEnd.length;
    }

    /**
     * Asks the task's memory for what the arrays take once grown for a record of {@code length}
     * bytes; the first {@value #FLOOR_BYTES} bytes are granted or not. Returns whether they may grow.
     */
    private boolean reserveGrowth(int length) {
        long capacity = grownBytes(length) + (long) RECORD_OVERHEAD * grownRecords();
        if (capacity <= held) {
            return true;
        }
        long wanted = capacity - held;
        long granted = memory.acquire(wanted);
        if (granted == wanted || capacity <= FLOOR_BYTES) {
            held += granted;
            return true;
        }
        memory.release(granted);
        return false;
    }

    private int grownBytes(int length) {
        int needed = (records == 0 ? 0 : recordEnd[records - 1]) + length;
        return needed > bytes.length ? grow(bytes.length, needed, INITIAL_BUFFER, threshold) : bytes.length;
    }

    private int grownRecords() {
        return records == recordEnd.length ? grow(records, records + 1, INITIAL_RECORDS, threshold / RECORD_OVERHEAD)
                : recordEnd.length;
    }

    /**
     * Another buffer of the task needs memory: the buffered records go to a spill file and the arrays
     * are let go. Returns the memory given back.
     */
    private long spillOnRequest(long wanted) {
        if (state != State.OPEN || held == 0) {
            return 0;
        }
        try {
            spillBuffer();
        } catch (IOException e) {
            abortAfter(e);
            throw new UncheckedIOException("cannot spill the output of map " + mapId + " of shuffle " + shuffleId
                    + " to " + dir, e);
        }
        long freed = held;
        release();
        return freed;
    }

    private long bufferedBytes() {
        return (records == 0 ? 0 : recordEnd[records - 1]) + (long) RECORD_OVERHEAD * records;
    }

    private void append(int partition, byte[] record, int offset, int length) {
        int used = records == 0 ? 0 : recordEnd[records - 1];
        int needed = used + length;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, grow(bytes.length, needed, INITIAL_BUFFER, threshold));
        }
        if (records == recordEnd.length) {
            int capacity = grow(records, records + 1, INITIAL_RECORDS, threshold / RECORD_OVERHEAD);
            recordPartition = Arrays.copyOf(recordPartition, capacity);
            recordEnd = Arrays.copyOf(recordEnd, capacity);
        }
        System.arraycopy(record, offset, bytes, used, length);
        recordPartition[records] = partition;
        recordEnd[records] = needed;
        records++;
    }

    /** Doubles {@code capacity}, starting from {@code initial}, to at least {@code needed}, at most {@code limit} unless needed. */
    private static int grow(int capacity, int needed, int initial, long limit) {
        long doubled = Math.max(initial, 2L * capacity);
        return (int) Math.max(needed, Math.min(doubled, limit));
    }

    /**
     * Sorts the buffered records by partition, stably: {@code sorted[partitionStart[r] ..
     * partitionStart[r + 1])} are the records of partition {@code r} in write order.
     */
    private void sortBuffer() {
        if (partitionStart == null) {
            partitionStart = new int[partitions + 1];
        } else {
            Arrays.fill(partitionStart, 0);
        }
        for (int i = 0; i < records; i++) {
            partitionStart[recordPartition[i] + 1]++;
        }
        for (int r = 0; r < partitions; r++) {
            partitionStart[r + 1] += partitionStart[r];
        }
        if (sorted.length < records) {
            sorted = new int[recordEnd.length];
        }
        // partitionStart[r] serves as partition r's next free slot, then is shifted back
        for (int i = 0; i < records; i++) {
            sorted[partitionStart[recordPartition[i]]++] = i;
        }
        System.arraycopy(partitionStart, 0, partitionStart, 1, partitions);
        partitionStart[0] = 0;
    }

    /** Writes partition {@code r}'s buffered records, in write order; {@link #sortBuffer()} first. */
    private void writeBuffered(BlockFileWriter out, int r) throws IOException {
        for (int s = partitionStart[r]; s < partitionStart[r + 1]; s++) {
            int i = sorted[s];
            int start = i == 0 ? 0 : recordEnd[i - 1];
            out.write(bytes, start, recordEnd[i] - start);
        }
    }

    // ---- spilling

    private void spillBuffer() throws IOException {
        if (records == 0) {
            return;
        }
        sortBuffer();
        spill(this::writeBuffered);
        records = 0;
    }

    private void spillOne(int partition, byte[] record, int offset, int length) throws IOException {
        spill((out, r) -> {
            if (r == partition) {
                out.write(record, offset, length);
            }
        });
    }

    private interface BlockSource {
        void writeBlock(BlockFileWriter out, int partition) throws IOException;
    }

    private void spill(BlockSource source) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(mapId + ".spill" + spillsWritten + ".tmp");
        spillFiles.add(file);   // before it exists, so that an abort deletes it whatever happens
        long[] lengths;
        try (BlockFileWriter out = new BlockFileWriter(file, partitions, settings.fileBufferSize(), null)) {
            for (int r = 0; r < partitions; r++) {
                source.writeBlock(out, r);
                out.endBlock();
            }
            lengths = out.lengths();
            spillBytes += out.written();
        }
        spillLengths.add(lengths);
        spillsWritten++;
    }

    // ---- commit

    /** Writes every partition's block: its bytes from each spill in order, then from memory. */
    private void writeBlocks(BlockFileWriter out) throws IOException {
        sortBuffer();
        List<FileChannel> spills = new ArrayList<>(spillFiles.size());
        try {
            for (Path file : spillFiles) {
                spills.add(FileChannel.open(file, StandardOpenOption.READ));
            }
            long[] positions = new long[spills.size()];
            for (int r = 0; r < partitions; r++) {
                for (int k = 0; k < spills.size(); k++) {
                    long length = spillLengths.get(k)[r];
                    if (length > 0) {
                        out.copy(spills.get(k), spillFiles.get(k), positions[k], length);
                        positions[k] += length;
                    }
                }
                writeBuffered(out, r);
                out.endBlock();
            }
        } finally {
            closeAll(spills);
        }
        if (out.written() != bytesWritten) {
            throw new IOException("wrote " + out.written() + " bytes to " + files.dataFile(shuffleId, mapId)
                    + " instead of the " + bytesWritten + " bytes of the records");
        }
    }

    private static void closeAll(List<FileChannel> channels) throws IOException {
        IOException first = null;
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static long[] offsets(long[] lengths) {
        long[] offsets = new long[lengths.length + 1];
        for (int r = 0; r < lengths.length; r++) {
            offsets[r + 1] = offsets[r] + lengths[r];
        }
        return offsets;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path temp(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    // ---- the end

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the writer of map " + mapId + " of shuffle " + shuffleId + " is "
                    + state.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Aborts after {@code failure}, to which a failure to clean up is added. */
    private void abortAfter(Throwable failure) {
        try {
            abort();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Every file this writer may have created and not handed over: spills and temporary files. */
    private List<Path> ownFiles() {
        List<Path> own = new ArrayList<>(spillFiles);
        own.add(temp(files.dataFile(shuffleId, mapId)));
        own.add(temp(files.indexFile(shuffleId, mapId)));
        return own;
    }

    /**
     * Deletes the spills of committed output. A spill that cannot be deleted does not undo the
     * commit; it goes with its shuffle's directory ({@code removeShuffle}).
     */
    private void deleteSpillsAfterCommit() {
        for (Path file : spillFiles) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left for removeShuffle, see above
            }
        }
        spillFiles.clear();
        spillLengths.clear();
    }

    /** Lets the buffer go. */
    private void release() {
        if (held > 0) {
            memory.release(held);
            held = 0;
        }
        bytes = new byte[0];
        recordPartition = new int[0];
        recordEnd = new int[0];
        sorted = new int[0];
        partitionStart = null;
        records = 0;
    }

    @Override
    public String toString() {
        return "SortShuffleWriter[shuffle " + shuffleId + ", map " + mapId + ", " + partitions + " partitions, "
                + state.name().toLowerCase(Locale.ROOT) + ", " + recordsWritten + " records, "
                + bytesWritten + " bytes, " + spillsWritten + " spills]";
    }
}
