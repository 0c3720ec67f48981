package io.ember.benchmarks.micro;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.ember.core.dataset.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.fory.Fory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;
import org.apache.fory.memory.MemoryBuffer;
import org.apache.fory.memory.MemoryUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Which serializer shuffle records should go through: a round trip (write a batch of records to one
 * stream, read them all back) of the records the shuffle benchmarks move, with Java serialization,
 * Kryo 5 and Fory 1.6, each set up as a shuffle would use it (one stream per block, no class
 * registration required, so any user type works).
 *
 * <ul>
 *   <li>{@code words}: {@code Pair<String, Long>} of words from a 10,000-word vocabulary and counts
 *       (word count's map output);
 *   <li>{@code longs}: {@code Pair<Long, Long>} ({@code reduceByKey} over {@code i % 100000}).
 * </ul>
 *
 * <p>Scores are per record (ns/record); {@link #BATCH} records per invocation.
 *
 * <p>{@code benchmarks/run jmh RecordSerializerBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordSerializerBenchmark {

    static final int BATCH = 1_000;

    @Param({"java", "kryo", "fory"})
    public String serializer;

    @Param({"words", "longs"})
    public String records;

    private List<Pair<?, ?>> batch;
    private Kryo kryo;
    private Output kryoOutput;
    private Fory fory;
    private MemoryBuffer foryBuffer;
    private long bytesPerBatch;

    @Setup
    public void setUp() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(records.equals("words")
                    ? new Pair<>("word" + random.nextInt(10_000), (long) random.nextInt(1, 50))
                    : new Pair<>((long) random.nextInt(100_000), 1L));
        }
        kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        kryo.setReferences(false);
        kryoOutput = new Output(64 << 10, -1);
        fory = Fory.builder().withLanguage(Language.JAVA).requireClassRegistration(false)
                .withRefTracking(false).withCompatibleMode(CompatibleMode.SCHEMA_CONSISTENT).build();
        foryBuffer = MemoryUtils.buffer(64 << 10);
        bytesPerBatch = write().length;
    }

    /** Serializes the batch to one stream, as a map task writes a block. */
    private byte[] write() throws IOException {
        switch (serializer) {
            case "java" -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 << 10);
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    for (Pair<?, ?> record : batch) {
                        out.writeObject(record);
                    }
                }
                return bytes.toByteArray();
            }
            case "kryo" -> {
                kryoOutput.reset();
                for (Pair<?, ?> record : batch) {
                    kryo.writeClassAndObject(kryoOutput, record);
                }
                return kryoOutput.toBytes();
            }
            case "fory" -> {
                foryBuffer.writerIndex(0);
                for (Pair<?, ?> record : batch) {
                    fory.serialize(foryBuffer, record);
                }
                return foryBuffer.getBytes(0, foryBuffer.writerIndex());
            }
            default -> throw new IllegalArgumentException(serializer);
        }
    }

    /** Reads every record of a stream back, as a reduce task reads a block. */
    private void read(byte[] stream, Blackhole sink) throws IOException, ClassNotFoundException {
        switch (serializer) {
            case "java" -> {
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stream))) {
                    for (int i = 0; i < BATCH; i++) {
                        sink.consume(in.readObject());
                    }
                }
            }
            case "kryo" -> {
                Input in = new Input(stream);
                for (int i = 0; i < BATCH; i++) {
                    sink.consume(kryo.readClassAndObject(in));
                }
            }
            case "fory" -> {
                MemoryBuffer in = MemoryUtils.wrap(stream);
                for (int i = 0; i < BATCH; i++) {
                    sink.consume(fory.deserialize(in));
                }
            }
            default -> throw new IllegalArgumentException(serializer);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] serialize() throws IOException {
        return write();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void roundTrip(Blackhole sink) throws IOException, ClassNotFoundException {
        read(write(), sink);
    }

    /** Bytes per record, printed once per trial for the README table. */
    @org.openjdk.jmh.annotations.TearDown
    public void report() {
        System.out.printf("%n%s/%s: %.1f bytes per record%n", serializer, records, (double) bytesPerBatch / BATCH);
    }
}
