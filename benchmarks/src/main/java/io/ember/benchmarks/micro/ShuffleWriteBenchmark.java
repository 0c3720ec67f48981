package io.ember.benchmarks.micro;

import io.ember.api.shuffle.MapOutput;
import io.ember.api.shuffle.ShuffleWriter;
import io.ember.core.files.FileTrees;
import io.ember.shuffle.sort.ChecksumAlgorithm;
import io.ember.shuffle.sort.SortShuffleSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The map side of the {@code sort} shuffle (issue #6): one op is one map task writing 64 MiB of
 * 100-byte records, each for a random one of 200 reduce partitions, through
 * {@code SortShuffleWriter}, and committing its data and index file. MB/s = 64 MiB / the time per
 * op.
 *
 * <p>{@code spillThreshold} 128m keeps every record in memory (the buffer holds 64 MiB of bytes
 * plus 12 bytes per record); 8m spills 9 to 10 times, so each byte is written and read back once
 * more. {@code checksum} off shows what computing the block checksums costs (and lets commit copy
 * spilled bytes from file to file with {@code transferTo}).
 *
 * <p>Files go to a directory under {@code java.io.tmpdir} and are deleted after every op; they are
 * not forced to the disk, so on a machine with free memory this measures the page cache, as a map
 * task sees it.
 *
 * <p>{@code benchmarks/run jmh ShuffleWriteBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ShuffleWriteBenchmark {

    static final int RECORD = 100;
    static final int PARTITIONS = 200;
    static final int RECORDS = (64 << 20) / RECORD;

    @Param({"128m", "8m"})
    public String spillThreshold;

    @Param({"crc32c", "off"})
    public String checksum;

    private Path dir;
    private byte[] source;
    private int[] partitionOf;
    private SortShuffleSettings settings;
    private Constructor<?> filesConstructor;
    private Constructor<?> writerConstructor;
    private Object files;
    private long mapId;

    @Setup
    public void setUp() throws ReflectiveOperationException, IOException {
        dir = Files.createTempDirectory("ember-shuffle-write");
        SplittableRandom random = new SplittableRandom(6);
        source = new byte[1 << 20];
        random.nextBytes(source);
        partitionOf = new int[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            partitionOf[i] = random.nextInt(PARTITIONS);
        }
        long threshold = spillThreshold.equals("8m") ? 8L << 20 : 128L << 20;
        boolean checksums = !checksum.equals("off");
        settings = new SortShuffleSettings(threshold, 64 << 10, checksums,
                checksums ? ChecksumAlgorithm.of(checksum) : ChecksumAlgorithm.CRC32C, 48L << 20);
        // The writer is internal to the plugin; the host gets one from ExecutorShuffle.writer, which
        // comes with the rest of the shuffle. Until then it is built here as that will build it.
        Class<?> filesClass = Class.forName("io.ember.shuffle.sort.ShuffleFiles");
        filesConstructor = filesClass.getDeclaredConstructor(List.class);
        filesConstructor.setAccessible(true);
        files = filesConstructor.newInstance(List.of(dir));
        writerConstructor = Class.forName("io.ember.shuffle.sort.SortShuffleWriter")
                .getDeclaredConstructor(filesClass, int.class, long.class, int.class, SortShuffleSettings.class);
        writerConstructor.setAccessible(true);
    }

    /** One map task: 64 MiB of records, then commit. */
    @Benchmark
    public MapOutput writeAndCommit() throws ReflectiveOperationException {
        try (ShuffleWriter writer = (ShuffleWriter) writerConstructor.newInstance(files, 0, mapId++, PARTITIONS,
                settings)) {
            int offset = 0;
            for (int i = 0; i < RECORDS; i++) {
                writer.write(partitionOf[i], source, offset, RECORD);
                offset += RECORD;
                if (offset + RECORD > source.length) {
                    offset = 0;
                }
            }
            MapOutput output = writer.commit();
            long total = 0;
            for (long length : output.lengths()) {
                total += length;
            }
            if (total != (long) RECORDS * RECORD) {
                throw new IllegalStateException("wrote " + total + " bytes, expected " + (long) RECORDS * RECORD);
            }
            return output;
        }
    }

    /** Deletes the op's files, so that the disk holds one output at a time. */
    @TearDown(Level.Invocation)
    public void deleteOutput() {
        deleteUnder(dir.resolve("shuffle-0"));
    }

    @TearDown
    public void tearDown() {
        deleteUnder(dir);
    }

    private static void deleteUnder(Path root) {
        try {
            FileTrees.deleteRecursively(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
