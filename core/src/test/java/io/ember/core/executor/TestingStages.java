package io.ember.core.executor;

import io.ember.core.memory.MemoryConsumer;
import io.ember.core.memory.TaskMemory;
import io.ember.core.task.BlockId;
import io.ember.core.task.StageCode;
import io.ember.core.task.TaskContext;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Stage code for tests. A stage is serialized and deserialized before it runs, so what a test
 * wants to observe (how often it was deserialized, which threads ran it, a latch it waits on) lives
 * in a {@link Probe} that the stage finds by id.
 */
final class TestingStages {

    private static final ConcurrentHashMap<String, Probe> PROBES = new ConcurrentHashMap<>();

    private TestingStages() {
    }

    /** What one test observes of its stage's copies. */
    static final class Probe {
        final String id = UUID.randomUUID().toString();
        final AtomicInteger deserialized = new AtomicInteger();
        final AtomicInteger ran = new AtomicInteger();
        final Queue<String> threads = new ConcurrentLinkedQueue<>();
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();
        /** What completion callbacks did, in the order they ran. */
        final Queue<String> completed = new ConcurrentLinkedQueue<>();
    }

    static Probe newProbe() {
        Probe probe = new Probe();
        PROBES.put(probe.id, probe);
        return probe;
    }

    static Probe probe(String id) {
        Probe probe = PROBES.get(id);
        if (probe == null) {
            throw new IllegalStateException("no probe " + id);
        }
        return probe;
    }

    /** Returns {@code partition * 10}; counts its deserializations and runs, and records its threads. */
    /**
     * Registers three completion callbacks (the second throws), then returns, or on partition 1
     * throws; the third records whether the task's memory was still held when it ran.
     */
    record RegistersCompletions(String probeId) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            Probe probe = probe(probeId);
            new Greedy(context.memory()).take(1_000);
            context.onCompletion(() -> probe.completed.add("first of " + partition));
            context.onCompletion(() -> {
                throw new IllegalStateException("a broken callback");
            });
            context.onCompletion(() -> probe.completed.add("last of " + partition + ", memory held "
                    + context.memory().held()));
            if (partition == 1) {
                throw new IllegalStateException("partition 1 fails");
            }
            return partition;
        }
    }

    /** A buffer that takes memory and never gives it back, nor spills. */
    static final class Greedy extends MemoryConsumer {
        Greedy(TaskMemory memory) {
            super(memory);
        }

        long take(long bytes) {
            return acquire(bytes);
        }

        @Override
        public long spill(long bytes) {
            return 0;
        }
    }

    /**
     * Takes 1 MiB of the task's memory in a buffer that never gives it back, and returns what the task
     * holds then; partition 1 throws after taking it.
     */
    record KeepsMemory() implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            long granted = new Greedy(context.memory()).take(1 << 20);
            if (partition == 1) {
                throw new IllegalStateException("failing with " + granted + " bytes held");
            }
            return context.memory().held();
        }
    }

    record TimesTen(String probeId) implements StageCode {
        @Serial
        private Object readResolve() throws ObjectStreamException {
            probe(probeId).deserialized.incrementAndGet();
            return this;
        }

        @Override
        public Object runTask(int partition, TaskContext context) {
            Probe probe = probe(probeId);
            probe.ran.incrementAndGet();
            probe.threads.add(Thread.currentThread().getName());
            return partition * 10;
        }
    }

    /**
     * Blocks until its probe is released, then returns "released"; counts its runs, its starts and
     * the interrupts that ended it.
     */
    record BlockUntilReleased(String probeId) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) throws InterruptedException {
            Probe probe = probe(probeId);
            probe.ran.incrementAndGet();
            probe.started.incrementAndGet();
            try {
                if (!probe.release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                probe.interrupted.incrementAndGet();
                throw e;
            }
            return "released";
        }
    }

    /** Throws an IllegalStateException with the given message. */
    record Fail(String message) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            throw new IllegalStateException(message);
        }
    }

    /** An exception that cannot be serialized: it holds a thread. */
    static final class UnserializableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings({"unused", "serial"})
        private final Object holder = new Thread(() -> { });

        UnserializableException(String message) {
            super(message);
        }
    }

    /** Throws an {@link UnserializableException}. */
    record FailUnserializably(String message) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            throw new UnserializableException(message);
        }
    }

    /** A value that is not serializable. */
    record Opaque(int value) {}

    /** Returns an {@link Opaque}. */
    record ReturnOpaque() implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            return new Opaque(partition);
        }
    }

    /** Returns {@code size} bytes, each {@code partition + index}. */
    record ReturnBytes(int size) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            byte[] bytes = new byte[size];
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) (partition + i);
            }
            return bytes;
        }
    }

    /** Returns the name of the task thread's context class loader. */
    record ContextLoaderName() implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            return Thread.currentThread().getContextClassLoader().getName();
        }
    }

    /** Reads its partition of dataset {@code datasetId} (0..records-1) through the block store; returns the sum. */
    record SumCached(int datasetId, int records) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) {
            long sum = 0;
            var it = context.blocks().<Integer>getOrCompute(new BlockId(datasetId, partition),
                    () -> IntStream.range(0, records).boxed().iterator());
            while (it.hasNext()) {
                sum += it.next();
            }
            return sum;
        }
    }

    /** Loads a class through the context class loader and returns what its static {@code greet()} says. */
    record Greet(String className) implements StageCode {
        @Override
        public Object runTask(int partition, TaskContext context) throws Exception {
            Class<?> type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            return type.getMethod("greet").invoke(null);
        }
    }
}
