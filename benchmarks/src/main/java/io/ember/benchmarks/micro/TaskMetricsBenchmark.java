package io.ember.benchmarks.micro;

import io.ember.core.dataset.Pair;
import io.ember.core.serialization.PayloadFilter;
import io.ember.core.serialization.RecordSerializer;
import io.ember.core.task.ShuffleCounts;
import java.io.ByteArrayInputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What measuring a task costs on the executor's hot path (issue #18):
 *
 * <ul>
 *   <li>{@code gcTime}: reading the JVM's total GC time, the sum of every collector's
 *       {@code getCollectionTime()}, as the executor's {@code JvmGcTime} does twice per task (ns per
 *       read);
 *   <li>{@code readBlock} and {@code readBlockCounted}: a reduce task taking the 1,000
 *       {@code Pair<Long, Long>} records of one shuffle block through the record serializer, without
 *       and with the counting its {@code ShuffleInput} does (the block's length once, one increment per
 *       record); ns per record.
 * </ul>
 *
 * <p>{@code benchmarks/run jmh TaskMetricsBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TaskMetricsBenchmark {

    static final int BATCH = 1_000;

    private GarbageCollectorMXBean[] collectors;
    private RecordSerializer serializer;
    private byte[] block;

    @Setup
    public void setUp() {
        collectors = ManagementFactory.getGarbageCollectorMXBeans().toArray(new GarbageCollectorMXBean[0]);
        serializer = new RecordSerializer(getClass().getClassLoader(), PayloadFilter.standard());
        RecordSerializer.Encoder encoder = serializer.newEncoder();
        for (long i = 0; i < BATCH; i++) {
            encoder.write(new Pair<>(i * 7919 % 100_000, 1L));
        }
        block = Arrays.copyOf(encoder.array(), encoder.size());
    }

    @Benchmark
    public long gcTime() {
        long total = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            total += Math.max(0, collector.getCollectionTime());
        }
        return total;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void readBlock(Blackhole sink) {
        Iterator<Object> records = serializer.read(new ByteArrayInputStream(block));
        while (records.hasNext()) {
            sink.consume(records.next());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public ShuffleCounts readBlockCounted(Blackhole sink) {
        ShuffleCounts counts = new ShuffleCounts();
        counts.blockRead(block.length);
        Iterator<Object> records = serializer.read(new ByteArrayInputStream(block));
        while (records.hasNext()) {
            Object record = records.next();
            counts.recordRead();
            sink.consume(record);
        }
        return counts;
    }
}
