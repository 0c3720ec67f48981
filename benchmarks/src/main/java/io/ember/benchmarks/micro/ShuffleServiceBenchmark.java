package io.ember.benchmarks.micro;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.ExecutorShuffleContext.ServiceAddress;
import io.ember.api.shuffle.MapBlock;
import io.ember.api.shuffle.MapOutput;
import io.ember.api.shuffle.ShuffleBlock;
import io.ember.api.shuffle.ShuffleBlockId;
import io.ember.api.shuffle.ShuffleReader;
import io.ember.api.shuffle.ShuffleService;
import io.ember.api.shuffle.ShuffleServiceContext;
import io.ember.api.shuffle.ShuffleWriter;
import io.ember.core.files.FileTrees;
import io.ember.shuffle.sort.ChecksumAlgorithm;
import io.ember.shuffle.sort.SortShuffleManager;
import io.ember.shuffle.sort.SortShuffleSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
 * The external shuffle service over loopback (issue #6): one op fetches one large block (written
 * once, in setup, by an executor that then went away) from the {@code sort} plugin's service,
 * through a reduce-side {@code ExecutorShuffle}'s reader, checksum verified, and reads every byte.
 * MB/s = block size / the time per op. {@code checksum=off} shows what verifying costs.
 *
 * <p>{@code benchmarks/run jmh ShuffleServiceBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ShuffleServiceBenchmark {

    static final String APP = "app-bench";

    @Param({"128"})
    public int blockMiB;

    @Param({"crc32c", "off"})
    public String checksum;

    private Path dir;
    private SortShuffleManager manager;
    private ShuffleService service;
    private ExecutorShuffle reducer;
    private MapBlock block;
    private final byte[] buffer = new byte[1 << 20];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("ember-service-bench-");
        boolean checksums = !checksum.equals("off");
        manager = new SortShuffleManager(new SortShuffleSettings(64L << 20, 64 << 10, checksums,
                checksums ? ChecksumAlgorithm.of(checksum) : ChecksumAlgorithm.CRC32C, 256L << 20));
        service = manager.startService(new ShuffleServiceContext("127.0.0.1", 0, dir.resolve("state"), Optional.empty()));
        Optional<ServiceAddress> address = Optional.of(new ServiceAddress("127.0.0.1", service.port()));
        ExecutorShuffle mapper = manager.openExecutor(context("mapper", address));
        byte[] record = new byte[64 << 10];
        new SplittableRandom(1).nextBytes(record);
        MapOutput output;
        try (ShuffleWriter writer = mapper.writer(0, 1, 1)) {
            for (long written = 0; written < (long) blockMiB << 20; written += record.length) {
                writer.write(0, record, 0, record.length);
            }
            output = writer.commit();
        }
        block = new MapBlock(new ShuffleBlockId(0, 1, 0), mapper.location(), output.length(0));
        mapper.close();   // the executor is gone; the service serves its output
        reducer = manager.openExecutor(context("reducer", address));
    }

    private ExecutorShuffleContext context(String executorId, Optional<ServiceAddress> service) throws IOException {
        return new ExecutorShuffleContext(APP, executorId, "127.0.0.1",
                List.of(Files.createDirectories(dir.resolve(executorId))), service, Optional.empty());
    }

    @Benchmark
    public long fetchOneBlock() throws IOException {
        long bytes = 0;
        try (ShuffleReader reader = reducer.reader(List.of(block))) {
            ShuffleBlock fetched = reader.next();
            try (InputStream in = fetched.data()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytes += n;
                }
            }
        }
        if (bytes != block.length()) {
            throw new IllegalStateException("fetched " + bytes + " of " + block.length() + " bytes");
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reducer.close();
        service.close();
        manager.close();
        FileTrees.deleteRecursively(dir);
    }
}
